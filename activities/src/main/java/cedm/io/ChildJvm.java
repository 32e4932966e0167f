package cedm.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM on this one's class path, running one main class: what a probe needs that must not
 * share this process's allocator, engine state or file locks. DJL stays offline in it, as in cedm.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** How a child ended: its exit code (-1 when it outlived its time and was killed) and its output. */
  public record Ended(int exitCode, String output) {
    /** The last line a child printed: a probe's answer. */
    public String lastLine() {
      String[] lines = output.strip().split("\\R");
      return lines[lines.length - 1].strip();
    }
  }

  /** The command that runs {@code main} with {@code args}; stdout and stderr merged unless the caller redirects. */
  public static ProcessBuilder of(Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /** Starts the child, reads its output to the end and waits up to {@code timeout} for it to exit. */
  public static Ended run(ProcessBuilder child, Duration timeout) throws IOException, InterruptedException {
    return await(child.start(), timeout);
  }

  /** Reads a started child's output to the end and waits up to {@code timeout} for it to exit. */
  public static Ended await(Process p, Duration timeout) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return new Ended(-1, out);
    }
    return new Ended(p.exitValue(), out);
  }
}
