package cedm.cli;

import cedm.edm.GradientSelfCheck;
import cedm.spec.SpecException;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "cedm", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "cedm 0.1.0",
    description = "Cluster-conditioned EDM experiments (C-EDM) as durable Temporal workflows.",
    subcommands = {RunCommand.class, ValidateCommand.class, SubmitCommand.class, StatusCommand.class,
        CancelCommand.class, ResumeCommand.class, ReportCommand.class, AddPointsCommand.class, WorkerCommand.class, ServerCommand.class,
        BenchCommand.class, DoctorCommand.class, RehearseCommand.class})
public final class CedmCommand {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad input, 3 no server. */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new CedmCommand());
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler(CedmCommand::handle);
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof SpecException spec) {
      spec.lines().forEach(err::println);
      err.println(spec.problems().size() + " problem(s); nothing was run");
      return 2;
    }
    if (e instanceof UserError user) {
      err.println("cedm: " + user.getMessage());
      return user.exitCode;
    }
    if (e instanceof GradientSelfCheck.FailedException gradients) {
      err.println("cedm: the worker does not start: " + gradients.getMessage());
      return 1;
    }
    if (e instanceof StatusRuntimeException grpc) {
      err.println("cedm: Temporal call failed: " + grpc.getStatus());
      return 3;
    }
    err.println("cedm: internal error (please report it):");
    e.printStackTrace(err);
    return 70;
  }
}
