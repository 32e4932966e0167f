package cedm.spec;

/**
 * A checked spec.
 *
 * @param digest sha256 of the spec with defaults filled in and paths resolved, so that layout,
 *     comments and spelled-out defaults do not change it
 * @param yaml the text as the user wrote it, kept with the sweep for {@code cedm resume}
 */
public record LoadedSpec(ExperimentSpec spec, String digest, String yaml) {

  /** The sweep's workflow id: the name plus a digest prefix, so the same spec maps to one sweep. */
  public String sweepId() {
    return spec.name() + "-" + digest.substring(0, 12);
  }
}
