package cedm.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines of `cedm run`'s embedded worker, sent to a file in the store while the run lasts:
 * the terminal (or the file a long run's output goes to) then shows the run's progress alone.
 * `--verbose` keeps them on standard error instead.
 */
final class RunLog implements AutoCloseable {
  private final Logger root;
  private final List<Appender<ILoggingEvent>> detached;
  private final FileAppender<ILoggingEvent> file;

  private RunLog(Logger root, List<Appender<ILoggingEvent>> detached, FileAppender<ILoggingEvent> file) {
    this.root = root;
    this.detached = detached;
    this.file = file;
  }

  /** From now on, every log line goes to {@code path} (appended), and none to the console. */
  static RunLog to(Path path) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss} %-5level %logger{0}: %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setName("cedm-run-log");
    file.setFile(path.toString());
    file.setAppend(true);
    file.setEncoder(encoder);
    file.start();
    List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      detached.add(it.next());
    }
    root.addAppender(file);
    detached.forEach(root::detachAppender);
    return new RunLog(root, detached, file);
  }

  @Override
  public void close() {
    detached.forEach(root::addAppender);
    root.detachAppender(file);
    file.stop();
  }
}
