package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporal's client configuration as cedm reads it: flag > environment > profile file > default. */
class ConnectionOptionsTest {
  @TempDir Path dir;

  private Path configFile() throws IOException {
    return Files.writeString(dir.resolve("temporal.toml"), """
        [profile.default]
        address = "file-host:7233"
        namespace = "file-ns"

        [profile.cloud]
        address = "cloud-host:7233"
        namespace = "cloud-ns"
        api_key = "file-key"
        """);
  }

  private static ConnectionOptions.Flags flags(String target, String profile, Path configFile) {
    return new ConnectionOptions.Flags(target, null, null, null, null, null, null, null, profile, configFile);
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheProfileFileWhichBeatsTheDefault() throws Exception {
    Map<String, String> env = Map.of("TEMPORAL_CONFIG_FILE", configFile().toString(), "TEMPORAL_ADDRESS", "env-host:7233");
    ConnectionOptions flag = ConnectionOptions.resolve(flags("flag-host:7233", null, null), env);
    assertEquals("flag-host:7233", flag.target());
    ConnectionOptions environment = ConnectionOptions.resolve(flags(null, null, null), env);
    assertEquals("env-host:7233", environment.target());
    assertEquals("file-ns", environment.namespace(), "what the environment does not set comes from the profile");
    ConnectionOptions file = ConnectionOptions.resolve(flags(null, null, null),
        Map.of("TEMPORAL_CONFIG_FILE", configFile().toString()));
    assertEquals("file-host:7233", file.target());
    ConnectionOptions none = ConnectionOptions.resolve(flags(null, null, dir.resolve("absent.toml")), Map.of());
    assertEquals(ConnectionOptions.DEFAULT_TARGET, none.target());
    assertEquals(ConnectionOptions.DEFAULT_NAMESPACE, none.namespace());
    assertFalse(none.configured(), "the default target is not one the user named");
    assertTrue(file.configured() && environment.configured() && flag.configured());
  }

  @Test
  void aProfileIsChosenByFlagOrByTemporalProfile() throws Exception {
    Path file = configFile();
    ConnectionOptions byFlag = ConnectionOptions.resolve(flags(null, "cloud", file), Map.of("TEMPORAL_PROFILE", "default"));
    assertEquals("cloud-host:7233", byFlag.target());
    assertEquals("cloud-ns", byFlag.namespace());
    assertEquals("file-key", byFlag.profile().getApiKey());
    ConnectionOptions byEnv = ConnectionOptions.resolve(flags(null, null, file), Map.of("TEMPORAL_PROFILE", "cloud"));
    assertEquals("cloud-host:7233", byEnv.target());
  }

  @Test
  void tlsFlagsTurnTlsOnOverTheConfiguration() throws Exception {
    ConnectionOptions plain = ConnectionOptions.resolve(flags(null, null, null), Map.of());
    assertNull(plain.profile().getTls());
    ConnectionOptions tls = ConnectionOptions.resolve(new ConnectionOptions.Flags(null, null, null, dir.resolve("c.pem"),
        dir.resolve("k.pem"), null, "temporal.example", null, null, null),
        Map.of("TEMPORAL_TLS_CLIENT_CERT_PATH", "/env/cert.pem", "TEMPORAL_TLS_SERVER_NAME", "env.example"));
    assertFalse(tls.profile().getTls().isDisabled());
    assertEquals(dir.resolve("c.pem").toString(), tls.profile().getTls().getClientCertPath());
    assertEquals("temporal.example", tls.profile().getTls().getServerName());
    ConnectionOptions off = ConnectionOptions.resolve(new ConnectionOptions.Flags(null, null, false, null, null, null,
        null, null, null, null), Map.of("TEMPORAL_TLS", "true"));
    assertTrue(off.profile().getTls().isDisabled(), "--tls=false wins over TEMPORAL_TLS");
  }

  @Test
  void aBrokenConfigFileOrAMissingProfileIsNamed() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.toml"), "[profile.default\naddress = ");
    IOException e = assertThrows(IOException.class, () -> ConnectionOptions.resolve(flags(null, null, broken), Map.of()));
    assertTrue(e.getMessage().startsWith("Temporal client configuration"), e.getMessage());
    IOException missing = assertThrows(IOException.class,
        () -> ConnectionOptions.resolve(flags(null, "nope", configFile()), Map.of()));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
  }

  @Test
  void anUnreadableCertificateIsNamedBeforeConnecting() {
    ConnectionOptions options = assertDoesNotThrowResolve(new ConnectionOptions.Flags(null, null, null,
        dir.resolve("missing.pem"), dir.resolve("k.pem"), null, null, null, null, null));
    IOException e = assertThrows(IOException.class, options::connect);
    assertEquals("TLS client certificate (--tls-cert) " + dir.resolve("missing.pem")
        + ": cannot be read (no such file, or no permission)", e.getMessage());
  }

  private static ConnectionOptions assertDoesNotThrowResolve(ConnectionOptions.Flags flags) {
    try {
      return ConnectionOptions.resolve(flags, Map.of());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
