package cedm.workflow;

import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh Temporal test environment (with its own server) for each test, closed after it. */
final class TemporalPerTest implements BeforeEachCallback, AfterEachCallback {
  private TestWorkflowEnvironment env;

  @Override
  public void beforeEach(ExtensionContext context) {
    env = TestWorkflowEnvironment.newInstance();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    env.close();
  }

  /** A fresh environment in the middle of a test, for one that runs several independent sweeps. */
  void restart() {
    env.close();
    env = TestWorkflowEnvironment.newInstance();
  }

  TestWorkflowEnvironment env() {
    return env;
  }
}
