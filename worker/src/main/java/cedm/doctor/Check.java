package cedm.doctor;

/** One row of `cedm doctor`: what was checked, how it went, and one line of evidence. */
public record Check(String name, Status status, String evidence) {
  public enum Status { OK, WARN, FAIL }

  public static Check ok(String name, String evidence) {
    return new Check(name, Status.OK, evidence);
  }

  public static Check warn(String name, String evidence) {
    return new Check(name, Status.WARN, evidence);
  }

  public static Check fail(String name, String evidence) {
    return new Check(name, Status.FAIL, evidence);
  }
}
