package cedm.cli;

import cedm.spec.LoadedSpec;
import cedm.spec.SpecException;
import cedm.spec.SpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check a spec without running it; every problem is listed, exit code 2 if any.")
final class ValidateCommand extends Output implements Callable<Integer> {
  @Parameters(paramLabel = "SPEC", description = "Experiment spec (YAML).")
  Path spec;

  @Override
  public Integer call() throws SpecException {
    LoadedSpec loaded = SpecLoader.load(spec);
    out().println(spec + ": OK, sweep id " + loaded.sweepId());
    return 0;
  }
}
