package cedm.cli;

import cedm.runtime.ConnectionOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options naming the Temporal service. Unset flags fall back to Temporal's standard client
 * configuration: the TEMPORAL_* environment variables, then the profile of the config file
 * (see {@link ConnectionOptions}).
 */
final class ConnectionMixin {
  @Option(names = "--target", paramLabel = "HOST:PORT",
      description = "Temporal frontend (else TEMPORAL_ADDRESS, the profile's address, " + ConnectionOptions.DEFAULT_TARGET + ").")
  String target;

  @Option(names = "--namespace",
      description = "Temporal namespace (else TEMPORAL_NAMESPACE, the profile's, " + ConnectionOptions.DEFAULT_NAMESPACE + ").")
  String namespace;

  @Option(names = "--tls", arity = "0..1", description = "Use TLS (else TEMPORAL_TLS, the profile's tls).")
  Boolean tls;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate for mTLS (else TEMPORAL_TLS_CLIENT_CERT_PATH).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Client PKCS#8 key for mTLS (else TEMPORAL_TLS_CLIENT_KEY_PATH).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificate of the server (else TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
  Path tlsCa;

  @Option(names = "--tls-server-name", description = "Server name to verify (else TEMPORAL_TLS_SERVER_NAME).")
  String tlsServerName;

  @Option(names = "--api-key", description = "API key, e.g. for Temporal Cloud (else TEMPORAL_API_KEY); implies TLS.")
  String apiKey;

  @Option(names = "--profile", description = "Profile of the client config file (else TEMPORAL_PROFILE, default).")
  String profile;

  @Option(names = "--config-file", paramLabel = "TOML",
      description = "Client config file (else TEMPORAL_CONFIG_FILE, ~/.config/temporalio/temporal.toml).")
  Path configFile;

  /** The connection these flags, the environment and the config file describe; a bad file is the user's error. */
  ConnectionOptions options() {
    try {
      return ConnectionOptions.resolve(new ConnectionOptions.Flags(target, namespace, tls, tlsCert, tlsKey, tlsCa,
          tlsServerName, apiKey, profile, configFile), System.getenv());
    } catch (IOException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }
}
