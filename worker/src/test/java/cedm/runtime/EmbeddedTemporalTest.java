package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedTemporalTest {

  @Test
  void listensOnLoopbackOnlyAndServesClients() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
      assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
      WorkflowServiceStubs stubs = ConnectionOptions.plain(server.target(), "default").connect();
      try {
        assertTrue(stubs.healthCheck().getStatusValue() == 1, "SERVING");
      } finally {
        stubs.shutdownNow();
      }
      Optional<InetAddress> external = externalAddress();
      assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
      assertThrows(IOException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(external.get(), server.address().getPort()), 2000);
        }
      }, "the port must not be reachable on " + external.get());
    }
  }

  private static Optional<InetAddress> externalAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address) {
            return Optional.of(a);
          }
        }
      }
    }
    return Optional.empty();
  }
}
