package cedm.runtime;

import cedm.stage.FailureMessage;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach a Temporal service, read as every Temporal tool reads it (temporal-envconfig): a
 * profile of the client config file (TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml;
 * profile TEMPORAL_PROFILE, else "default"), the TEMPORAL_* environment variables over it, and
 * cedm's flags over both. The embedded server is reached plainly.
 *
 * @param configured whether the target was given (flag, environment or profile), not the default
 */
public record ConnectionOptions(ClientConfigProfile profile, boolean configured) {
  public static final String DEFAULT_TARGET = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  /** What the command line says; null where a flag was not given. */
  public record Flags(String target, String namespace, Boolean tls, Path clientCert, Path clientKey, Path serverCa,
      String serverName, String apiKey, String profile, Path configFile) {}

  public static ConnectionOptions plain(String target, String namespace) {
    return new ConnectionOptions(ClientConfigProfile.newBuilder().setAddress(target).setNamespace(namespace).build(),
        true);
  }

  /** Flags over {@code environment} (the process's, or a test's) over the profile file over the defaults. */
  public static ConnectionOptions resolve(Flags flags, Map<String, String> environment) throws IOException {
    LoadClientConfigProfileOptions.Builder load = LoadClientConfigProfileOptions.newBuilder()
        .setEnvOverrides(environment);
    if (flags.configFile() != null) {
      load.setConfigFilePath(flags.configFile().toString());
    }
    if (flags.profile() != null) {
      load.setConfigFileProfile(flags.profile());
    }
    ClientConfigProfile loaded;
    try {
      loaded = ClientConfigProfile.load(load.build());
    } catch (IOException | RuntimeException e) {
      throw new IOException("Temporal client configuration (--config-file, TEMPORAL_CONFIG_FILE, --profile, "
          + "TEMPORAL_PROFILE): " + e.getMessage(), e);
    }
    ClientConfigProfile.Builder profile = loaded.toBuilder()
        .setAddress(first(flags.target(), loaded.getAddress(), DEFAULT_TARGET))
        .setNamespace(first(flags.namespace(), loaded.getNamespace(), DEFAULT_NAMESPACE))
        .setApiKey(first(flags.apiKey(), loaded.getApiKey(), null));
    boolean tlsFlags = flags.tls() != null || flags.clientCert() != null || flags.clientKey() != null
        || flags.serverCa() != null || flags.serverName() != null;
    if (tlsFlags) {
      ClientConfigTLS.Builder tls = loaded.getTls() == null ? ClientConfigTLS.newBuilder() : loaded.getTls().toBuilder();
      tls.setDisabled(flags.tls() == null ? Boolean.FALSE : !flags.tls());
      if (flags.clientCert() != null) {
        tls.setClientCertPath(flags.clientCert().toString()).setClientCertData(null);
      }
      if (flags.clientKey() != null) {
        tls.setClientKeyPath(flags.clientKey().toString()).setClientKeyData(null);
      }
      if (flags.serverCa() != null) {
        tls.setServerCACertPath(flags.serverCa().toString()).setServerCACertData(null);
      }
      if (flags.serverName() != null) {
        tls.setServerName(flags.serverName());
      }
      profile.setTls(tls.build());
    }
    return new ConnectionOptions(profile.build(),
        flags.target() != null || loaded.getAddress() != null && !loaded.getAddress().isEmpty());
  }

  private static String first(String flag, String configured, String fallback) {
    return flag != null ? flag : configured != null && !configured.isEmpty() ? configured : fallback;
  }

  public String target() {
    return profile.getAddress();
  }

  public String namespace() {
    return profile.getNamespace();
  }

  public WorkflowServiceStubs connect() throws IOException {
    ClientConfigTLS tls = profile.getTls();
    if (tls != null) {
      readable(tls.getClientCertPath(), "TLS client certificate (--tls-cert)");
      readable(tls.getClientKeyPath(), "TLS client key (--tls-key)");
      readable(tls.getServerCACertPath(), "TLS server CA (--tls-ca)");
      if (tls.getClientCertPath() != null && tls.getClientKeyPath() == null && tls.getClientKeyData() == null) {
        throw new IOException("--tls-cert needs --tls-key (TEMPORAL_TLS_CLIENT_KEY_PATH)");
      }
      pkcs8(tls.getClientKeyPath());
    }
    WorkflowServiceStubsOptions options;
    try {
      options = profile.toWorkflowServiceStubsOptions();
    } catch (RuntimeException e) {
      throw new IOException("TLS client certificate " + (tls == null ? null : tls.getClientCertPath()) + " / key "
          + (tls == null ? null : tls.getClientKeyPath()) + ": not a PEM certificate chain and PKCS#8 private key "
          + "with a PEM server CA (" + FailureMessage.of(e) + ")", e);
    }
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder(options)
        .setMetricsScope(TemporalMetrics.scope()).build());
  }

  public WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
        .build());
  }

  private static void readable(String path, String what) throws IOException {
    if (path != null && !path.isEmpty() && !Files.isReadable(Path.of(path))) {
      throw new IOException(what + " " + path + ": cannot be read (no such file, or no permission)");
    }
  }

  /** The SDK reads only PKCS#8 keys, and says so in no helpful way: check the PEM header first. */
  private static void pkcs8(String key) throws IOException {
    if (key == null || key.isEmpty()) {
      return;
    }
    String pem = Files.readString(Path.of(key), java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IOException("TLS client key (--tls-key) " + key + ": not a PEM PKCS#8 private key (\"-----BEGIN "
          + "PRIVATE KEY-----\"); convert one with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }
  }

}
