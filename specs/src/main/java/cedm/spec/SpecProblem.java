package cedm.spec;

/**
 * One thing wrong with a spec, located in its file.
 *
 * @param field dotted path of the field, e.g. {@code clustering.temi.beta} or {@code grid.points[1]}
 * @param allowed what would be accepted, or null when there is nothing useful to say
 */
public record SpecProblem(int line, int column, String field, String message, String allowed) {

  /** The one-line form {@code file:line:column: field: message (allowed: ...)}. */
  public String format(String file) {
    String where = field.isEmpty() ? "(spec)" : field;
    String tail = allowed == null ? "" : " (allowed: " + allowed + ")";
    return file + ":" + line + ":" + column + ": " + where + ": " + message + tail;
  }
}
