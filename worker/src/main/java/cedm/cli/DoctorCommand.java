package cedm.cli;

import ai.djl.Device;
import cedm.doctor.Check;
import cedm.doctor.EngineChecks;
import cedm.doctor.MemoryFit;
import cedm.doctor.ModelChecks;
import cedm.doctor.StoreChecks;
import cedm.doctor.TemporalCheck;
import cedm.doctor.TrainingFit;
import cedm.runtime.GpuList;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecException;
import cedm.spec.SpecLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", description = "Check this host before a sweep: the PyTorch natives, every device, its "
    + "gradients against PyTorch's and the batch it fits, LAPACK, the spec's model files, each stage's peak memory, "
    + "Temporal, the store and its lock, free disk. Exit 0 when "
    + "nothing fails, 1 otherwise.")
final class DoctorCommand extends Output implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "The sweep to check for (its network, "
      + "model files and footprint); without it, the host alone.")
  Path spec;

  @Mixin GpusOption gpus;

  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Override
  public Integer call() throws Exception {
    List<Check> checks = new ArrayList<>();
    checks.add(EngineChecks.engine());
    GpuList list = gpus.list();
    List<Device> devices = list.devices().stream().distinct().toList();
    checks.addAll(EngineChecks.devices(devices));
    checks.addAll(EngineChecks.gradients(devices));
    ExperimentSpec loaded = null;
    if (spec != null) {
      try {
        loaded = SpecLoader.load(spec).spec();
        checks.add(Check.ok("spec", spec + ": valid"));
      } catch (SpecException e) {
        e.lines().forEach(line -> checks.add(Check.fail("spec", line)));
      }
    }
    if (loaded != null) {
      checks.add(EngineChecks.trialWidth(loaded.runtime(), list));
      for (Device d : devices) {
        checks.add(TrainingFit.check(loaded, d));
      }
    }
    checks.add(EngineChecks.lapack());
    if (loaded != null) {
      List<Check> models = ModelChecks.check(loaded);
      checks.addAll(models);
      if (models.stream().allMatch(c -> c.status() == Check.Status.OK)) {
        for (Device d : devices) {
          checks.addAll(MemoryFit.check(loaded, d));
        }
      } else {
        checks.add(Check.warn("memory", "each stage's memory is predicted once the model files above load"));
      }
    }
    checks.add(TemporalCheck.check(connection.options()));
    checks.add(StoreChecks.lock(store.root()));
    if (loaded != null) {
      checks.add(StoreChecks.disk(store.root(), loaded));
    }
    print(out(), checks);
    return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL) ? 1 : 0;
  }

  private static void print(PrintWriter out, List<Check> checks) {
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(8);
    for (Check c : checks) {
      out.println(String.format("%-4s  %-" + width + "s  %s", c.status(), c.name(), c.evidence()));
    }
    long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
    long warned = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
    out.println(failed == 0 ? "cedm doctor: nothing failed" + (warned > 0 ? " (" + warned + " warning(s))" : "")
        : "cedm doctor: " + failed + " check(s) failed");
  }
}
