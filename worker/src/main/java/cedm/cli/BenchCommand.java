package cedm.cli;

import cedm.bench.Benchmarks;
import cedm.bench.EdmBenchmarks;
import cedm.bench.EvalBenchmarks;
import cedm.spec.TrainingSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Measure this machine: matmul throughput, feature extraction, kNN, TEMI and "
    + "EDM speed. Prints figures; nothing passes or fails.")
final class BenchCommand extends Output implements Callable<Integer> {
  @Option(names = "--torchscript", paramLabel = "FILE",
      defaultValue = "activities/src/test/resources/fixtures/features/tiny_vit.pt",
      description = "TorchScript model to time (default: the test fixture, ${DEFAULT-VALUE}).")
  Path torchscript;

  @Option(names = "--knn-n", defaultValue = "50000", description = "Images in the kNN benchmark (default ${DEFAULT-VALUE}).")
  int knnN;

  @Option(names = "--knn-d", defaultValue = "768", description = "Feature dimension (default ${DEFAULT-VALUE}).")
  int knnD;

  @Option(names = "--knn-m", defaultValue = "50", description = "Neighbours (default ${DEFAULT-VALUE}).")
  int knnM;

  @Option(names = "--only", paramLabel = "PART", description = "Run one part: features, knn, temi, edm or eval (default: all).")
  String only;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    if (only == null || only.equals("features")) {
      features(out);
    }
    if (only == null || only.equals("knn")) {
      knn(out);
    }
    if (only == null || only.equals("temi")) {
      double seconds = Benchmarks.temiEpochSeconds(50000, 768, 100, 16, 1024);
      line(out, "TEMI epoch N=50000 D=768 C=100 H=16 batch 1024", "%.1f s (%.3f s/step)", seconds, seconds / 48);
    }
    if (only == null || only.equals("edm")) {
      edm(out);
    }
    if (only == null || only.equals("eval")) {
      line(out, "Frechet distance d=2048 (LAPACK dsyevd: " + cedm.eval.FrechetDistance.lapack() + ")", "%.2f s",
          EvalBenchmarks.frechetSeconds(2048));
      line(out, "feature statistics d=2048, float64", "%.0f features/s",
          EvalBenchmarks.statisticsRowsPerSecond(2048, 1000, 10));
      line(out, "precision/recall/density/coverage 10000 x 10000, d=1024, k=3", "%.1f s",
          EvalBenchmarks.prdcSeconds(10000, 1024));
    }
    return 0;
  }

  private void edm(PrintWriter out) throws Exception {
    for (TrainingSpec.Preset preset : new TrainingSpec.Preset[] {TrainingSpec.Preset.TINY, TrainingSpec.Preset.DDPMPP_CIFAR}) {
      EdmBenchmarks.StepTiming t = EdmBenchmarks.training(preset, 32, 10, 64, preset == TrainingSpec.Preset.TINY ? 8 : 3);
      line(out, "EDM training " + preset.id() + " 32px batch 64 (" + String.format(Locale.ROOT, "%,d", t.parameters())
          + " params)", "%.2f s/step, %.1f images/s", t.secondsPerStep(), t.imagesPerSecond());
    }
    // Each figure comes from a process of its own (peak resident memory of one training step, glibc's
    // mmap threshold fixed at 64 KiB: see EdmBenchmarks.peakMemory).
    TrainingSpec.Preset cifar = TrainingSpec.Preset.DDPMPP_CIFAR;
    double batch64 = EdmBenchmarks.peakMemory(cifar, 32, 64, null) / 1e9;
    line(out, "EDM training ddpmpp-cifar 32px batch 64: peak memory", "%.2f GB", batch64);
    double batch16 = EdmBenchmarks.peakMemory(cifar, 32, 16, null) / 1e9;
    line(out, "EDM training ddpmpp-cifar 32px batch 16: peak memory", "%.2f GB", batch16);
    double accumulated = EdmBenchmarks.peakMemory(cifar, 32, 256, 16) / 1e9;
    line(out, "EDM training ddpmpp-cifar batch 256, batch_gpu 16", "%.2f GB (%.2fx batch 16 alone, target <= 1.1x)",
        accumulated, accumulated / batch16);
    line(out, "EDM sampling tiny 32px, 18 Heun steps, batch 64", "%.1f images/s",
        EdmBenchmarks.samplingImagesPerSecond(TrainingSpec.Preset.TINY, 32, 10, 64, 18));
    line(out, "EDM sampling ddpmpp-cifar 32px, 18 Heun steps, batch 16", "%.2f images/s",
        EdmBenchmarks.samplingImagesPerSecond(TrainingSpec.Preset.DDPMPP_CIFAR, 32, 10, 16, 18));
  }

  private void features(PrintWriter out) throws Exception {
    double gflops = Benchmarks.matmulGflops(4096, 768);
    line(out, "matmul float32 4096x768 @ 768x4096", "%.1f GFLOP/s", gflops);
    line(out, "features builtin (32px -> 64px, dim 128)", "%.0f images/s", Benchmarks.builtinImagesPerSecond(32, 64, 128));
    line(out, "features builtin (32px -> 224px, dim 256)", "%.0f images/s", Benchmarks.builtinImagesPerSecond(32, 224, 256));
    if (Files.isRegularFile(torchscript)) {
      line(out, "features TorchScript " + torchscript.getFileName() + " (32px -> 224px)", "%.0f images/s",
          Benchmarks.torchScriptImagesPerSecond(torchscript));
    } else {
      out.println("features TorchScript: skipped, no model at " + torchscript + " (pass --torchscript FILE)");
    }
  }

  private void knn(PrintWriter out) throws Exception {
    Benchmarks.KnnTiming knn = Benchmarks.knn(knnN, knnD, knnM, 4096);
    String shape = "N=" + knn.n() + " D=" + knn.d() + " m=" + knn.m();
    double flops = 2.0 * knn.n() * knn.n() * knn.d();
    line(out, "kNN " + shape + " (symmetric tiles of 4096)", "%.2f s", knn.knnSeconds());
    line(out, "  full N x N product, DJL", "%.2f s (%.1f GFLOP/s)", knn.djlProductSeconds(),
        flops / knn.djlProductSeconds() / 1e9);
    line(out, "  full N x N product, OpenBLAS sgemm", "%.2f s (%.1f GFLOP/s)", knn.openBlasProductSeconds(),
        flops / knn.openBlasProductSeconds() / 1e9);
    line(out, "  kNN / the faster full product", "%.2fx (target <= 1.05x)",
        knn.knnSeconds() / knn.bestProductSeconds());
  }

  private static void line(PrintWriter out, String what, String format, Object... values) {
    out.printf(Locale.ROOT, "%-48s " + format + "%n", prepend(what, values));
    out.flush();
  }

  private static Object[] prepend(String what, Object[] values) {
    Object[] all = new Object[values.length + 1];
    all[0] = what;
    System.arraycopy(values, 0, all, 1, values.length);
    return all;
  }
}
