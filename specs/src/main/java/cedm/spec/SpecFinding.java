package cedm.spec;

/**
 * One problem found in a spec document, before it is placed in the file: the schema's, a
 * cross-field check's or a range check's.
 *
 * @param pointer the JSON pointer of the field, e.g. {@code /grid/points/1}
 * @param atKey whether the problem is the key itself (an unknown field) rather than its value
 */
record SpecFinding(String pointer, boolean atKey, String message, String allowed) {
  static SpecFinding at(String pointer, String message, String allowed) {
    return new SpecFinding(pointer, false, message, allowed);
  }

  /** The problem at its line and column in the YAML text. */
  SpecProblem in(YamlLocations locations) {
    int[] at = atKey ? locations.key(pointer) : locations.value(pointer);
    return new SpecProblem(at[0], at[1], SpecLoader.dotted(pointer), message, allowed);
  }
}
