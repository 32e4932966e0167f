package cedm.runtime;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The Temporal Java test server on the loopback interface only (its own port-bound mode listens on
 * every interface). It keeps no history across restarts, which is why every stage is memoised in
 * the artifact store: a new server and a re-submitted spec continue where the last run stopped.
 * Workflow tasks never go to sticky queues ({@link NoStickyDispatch}), so a worker that dies does
 * not take its sweeps with it. DescribeTaskQueue is answered with the pollers it has seen
 * ({@link TaskQueuePollers}), so clients can tell a queue that nobody polls.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts on 127.0.0.1; port 0 picks a free one. */
  public static EmbeddedTemporal start(int port) throws IOException {
    // Real time: timers and timeouts must elapse as on a real cluster, not be skipped.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder, List.of(new NoStickyDispatch(), new TaskQueuePollers(java.time.Clock.systemUTC())));
    Server server = builder.build().start();
    return new EmbeddedTemporal(services, server);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** host:port for clients. */
  public String target() {
    InetSocketAddress a = address();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
