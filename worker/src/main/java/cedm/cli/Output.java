package cedm.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Gives a command the command line's output stream, so tests can capture what users see. */
abstract class Output {
  @Spec CommandSpec commandSpec;

  PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  PrintWriter err() {
    return commandSpec.commandLine().getErr();
  }
}
