package cedm.cli;

import cedm.runtime.ConnectionOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options naming the Temporal service; each also reads the standard TEMPORAL_* variable. */
final class ConnectionMixin {
  @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
      description = "Temporal frontend (env TEMPORAL_ADDRESS; default ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--namespace", defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE; default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--tls", defaultValue = "${env:TEMPORAL_TLS:-false}", description = "Use TLS (env TEMPORAL_TLS).")
  boolean tls;

  @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:TEMPORAL_TLS_CLIENT_CERT_PATH}",
      description = "Client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:TEMPORAL_TLS_CLIENT_KEY_PATH}",
      description = "Client PKCS#8 key for mTLS (env TEMPORAL_TLS_CLIENT_KEY_PATH).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM", defaultValue = "${env:TEMPORAL_TLS_SERVER_CA_CERT_PATH}",
      description = "CA certificate of the server (env TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
  Path tlsCa;

  @Option(names = "--tls-server-name", defaultValue = "${env:TEMPORAL_TLS_SERVER_NAME}",
      description = "Server name to verify (env TEMPORAL_TLS_SERVER_NAME).")
  String tlsServerName;

  @Option(names = "--api-key", defaultValue = "${env:TEMPORAL_API_KEY}",
      description = "API key, e.g. for Temporal Cloud (env TEMPORAL_API_KEY); implies TLS.")
  String apiKey;

  ConnectionOptions options() {
    return new ConnectionOptions(target, namespace, tls, tlsCert, tlsKey, tlsCa, tlsServerName, apiKey);
  }
}
