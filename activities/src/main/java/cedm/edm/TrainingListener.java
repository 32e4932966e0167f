package cedm.edm;

/**
 * Told where training starts (loss NaN, as no step ran yet), of every tick's progress, and of
 * every step (to stay visibly alive, and to be cancelled).
 */
@FunctionalInterface
public interface TrainingListener {
  default void started(TrainingProgress at) {}

  void tick(TrainingProgress progress);

  default void step(long nimg) {}

  /** Called after each accumulation round and every few seconds of a long step: still alive. */
  default void alive() {}
}
