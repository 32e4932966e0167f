package cedm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The cedm command line as a separate process, for tests that kill it. */
final class CedmProcess {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  private CedmProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process was killed: its output simply ends.
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  static CedmProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), CedmCommand.class.getName()));
    command.addAll(List.of(args));
    return new CedmProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Waits for a line containing {@code text}; fails with everything printed so far. */
  String awaitLine(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        all.add(line);
        if (line.contains(text)) {
          return line;
        }
      }
    }
    throw new AssertionError("no line with '" + text + "' within " + seconds + "s; output:\n" + String.join("\n", all));
  }

  /** The process id, which a worker's Temporal identity (pid@host) starts with. */
  long pid() {
    return process.pid();
  }

  /** Sends SIGKILL without waiting, so that several processes can be stopped at once. */
  void destroy() {
    process.destroyForcibly();
  }

  /** SIGKILL: no shutdown hooks, no cleanup, as a crashed machine. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + seconds + "s:\n" + output());
    }
    return process.exitValue();
  }

  /** Everything printed, once the process has ended. */
  String output() throws InterruptedException {
    Thread.sleep(100);
    lines.drainTo(all);
    return String.join("\n", all);
  }
}
