package cedm.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one submitted sweep: the connection, the store and the sweep's id. */
abstract class SweepCommand extends Output {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "SWEEP", description = "Sweep id, as printed by submit.")
  String sweepId;

  Connected connect() throws java.io.IOException {
    return new Connected(connection.options(), store.open());
  }
}
