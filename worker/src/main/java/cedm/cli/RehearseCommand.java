package cedm.cli;

import cedm.rehearsal.Rehearsal;
import cedm.rehearsal.RehearsedStage;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rehearse", description = "Run every stage of a sweep at its spec's sizes on the CPU, with small compute "
    + "where only time depends on it (one TEMI epoch, one training step, two Heun steps): each stage's peak memory and "
    + "time beside what `cedm doctor` predicts. About 30 minutes on 2 cores for specs/paper-shape.yaml.")
final class RehearseCommand extends Output implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", defaultValue = "specs/paper-shape.yaml",
      description = "The sweep to rehearse (default: ${DEFAULT-VALUE}, the paper's sizes with stand-in encoders).")
  Path spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the stages write (default: a temporary folder, "
      + "deleted after).")
  Path dir;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE", description = "Only these stages (dataset, features, "
      + "knn, temi, training, reference, evaluation), each reading what the stages before it left in --dir.")
  Set<String> only;

  @Override
  public Integer call() throws Exception {
    Set<RehearsedStage> stages = EnumSet.allOf(RehearsedStage.class);
    if (only != null) {
      stages.clear();
      for (String id : only) {
        stages.add(Arrays.stream(RehearsedStage.values()).filter(s -> s.id().equals(id)).findFirst()
            .orElseThrow(() -> new UserError("--stages: no stage " + id + " (allowed: dataset, features, knn, temi, "
                + "training, reference, evaluation)", 2)));
      }
      if (dir == null) {
        throw new UserError("--stages needs --dir: the folder where the earlier stages left their output", 2);
      }
    }
    ExperimentSpec loaded = SpecLoader.load(spec).spec();
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("cedm-rehearsal");
    PrintWriter out = out();
    PrintWriter err = err();
    out.println(String.format("%-11s  %-52s  %9s  %9s  %8s  %8s  %8s  %s", "stage", "size", "predicted", "peak RSS",
        "heap", "native", "time", "computed"));
    try {
      new Rehearsal(loaded, work, stages, line -> {
        err.println("rehearse: " + line);
        err.flush();
      }).run(row -> {
        out.println(String.format(Locale.ROOT, "%-11s  %-52s  %9s  %9s  %8s  %8s  %7.1fs  %s", row.stage(), row.size(),
            row.predicted() == null ? "-" : gb(row.predicted().bytes()), gb(row.measured().residentBytes()),
            gb(row.measured().heapBytes()), gb(row.measured().residentBytes() - row.measured().heapBytes()),
            row.measured().seconds(), row.measured().detail()));
        out.flush();
      });
    } finally {
      if (dir == null) {
        ArtifactStore.deleteTree(work);
      }
    }
    return 0;
  }

  private static String gb(long bytes) {
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }
}
