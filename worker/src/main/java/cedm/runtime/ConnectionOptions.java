package cedm.runtime;

import io.temporal.authorization.AuthorizationTokenSupplier;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * How to reach a Temporal service: plain for the embedded server; TLS, mTLS (client certificate
 * and key) or an API key for a real cluster.
 */
public record ConnectionOptions(
    String target, String namespace, boolean tls, Path clientCert, Path clientKey, Path serverCa,
    String serverName, String apiKey) {

  public static ConnectionOptions plain(String target, String namespace) {
    return new ConnectionOptions(target, namespace, false, null, null, null, null, null);
  }

  public WorkflowServiceStubs connect() throws IOException {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(target)
        .setMetricsScope(TemporalMetrics.scope());
    boolean secure = tls || clientCert != null || serverCa != null || apiKey != null;
    if (secure) {
      SimpleSslContextBuilder ssl = clientCert != null
          ? pkcs8(clientCert, clientKey)
          : SimpleSslContextBuilder.noKeyOrCertChain();
      if (serverCa != null) {
        ssl.setTrustManager(trustManager(serverCa).getTrustManagers()[0]);
      }
      try {
        options.setSslContext(ssl.build());
      } catch (SSLException | IllegalArgumentException e) {
        throw new IOException("--tls-cert " + clientCert + " / --tls-key " + clientKey
            + ": not a PEM certificate chain and PKCS#8 private key (" + e.getMessage() + ")", e);
      }
      if (serverName != null) {
        options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
    }
    if (apiKey != null) {
      AuthorizationTokenSupplier token = () -> apiKey;
      options.addApiKey(token);
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  public WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  private static SimpleSslContextBuilder pkcs8(Path cert, Path key) throws IOException {
    if (key == null) {
      throw new IOException("--tls-cert needs --tls-key (TEMPORAL_TLS_CLIENT_KEY_PATH)");
    }
    // The builder reads its streams in build(), after this method returns: hand it the bytes, not open files.
    return SimpleSslContextBuilder.forPKCS8(new ByteArrayInputStream(read(cert, "--tls-cert")),
        new ByteArrayInputStream(read(key, "--tls-key")));
  }

  private static byte[] read(Path file, String option) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(option + " " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static TrustManagerFactory trustManager(Path ca) throws IOException {
    try (InputStream in = new FileInputStream(ca.toFile())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, (X509Certificate) cert);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(ca + ": not a PEM CA certificate (" + e.getMessage() + ")", e);
    }
  }
}
