package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a Temporal server that requires TLS with client certificates (Temporal's own
 * test services behind a Netty TLS listener), with a CA, server and client certificate made here.
 */
class MutualTlsTest {
  private static final String SERVER_NAME = "temporal.cedm.test";
  @TempDir Path tmp;
  private TestServicesStarter services;
  private Server server;
  private String target;
  private Path ca;
  private Path clientCert;
  private Path clientKey;

  @BeforeEach
  void startTlsServer() throws Exception {
    KeyPair caKeys = rsa();
    X509Certificate caCert = certificate("cedm test CA", caKeys.getPublic(), "cedm test CA", caKeys.getPrivate(), true);
    KeyPair serverKeys = rsa();
    X509Certificate serverCert = certificate(SERVER_NAME, serverKeys.getPublic(), "cedm test CA", caKeys.getPrivate(), false);
    KeyPair clientKeys = rsa();
    ca = pem(tmp.resolve("ca.pem"), "CERTIFICATE", caCert.getEncoded());
    clientCert = pem(tmp.resolve("client.pem"), "CERTIFICATE",
        certificate("cedm worker", clientKeys.getPublic(), "cedm test CA", caKeys.getPrivate(), false).getEncoded());
    clientKey = pem(tmp.resolve("client.key"), "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
    Path serverCertFile = pem(tmp.resolve("server.pem"), "CERTIFICATE", serverCert.getEncoded());
    Path serverKeyFile = pem(tmp.resolve("server.key"), "PRIVATE KEY", serverKeys.getPrivate().getEncoded());

    services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sslContext(GrpcSslContexts.forServer(serverCertFile.toFile(), serverKeyFile.toFile())
            .trustManager(ca.toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder, List.of());
    server = builder.build().start();
    target = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
    services.close();
  }

  @Test
  void aClientCertificateAndKeyFromFilesOpenTheConnection() throws Exception {
    String store = tmp.resolve("store").toString();
    Cli submit = Cli.run("submit", "../specs/demo.yaml", "--store", store, "--target", target,
        "--tls-cert", clientCert.toString(), "--tls-key", clientKey.toString(), "--tls-ca", ca.toString(),
        "--tls-server-name", SERVER_NAME);
    assertEquals(0, submit.exitCode(), submit.out() + submit.err());
    String sweep = submit.out().lines().filter(l -> l.startsWith("submitted sweep ")).findFirst().orElseThrow()
        .substring("submitted sweep ".length());
    Cli status = Cli.run("status", sweep, "--store", store, "--target", target,
        "--tls-cert", clientCert.toString(), "--tls-key", clientKey.toString(), "--tls-ca", ca.toString(),
        "--tls-server-name", SERVER_NAME);
    assertEquals(0, status.exitCode(), status.out() + status.err());
    assertTrue(status.out().contains(sweep), status.out());
  }

  @Test
  void withoutAClientCertificateTheServerRefusesTheHandshake() {
    Cli status = Cli.run("status", "nope", "--store", tmp.resolve("store").toString(), "--target", target,
        "--tls-ca", ca.toString(), "--tls-server-name", SERVER_NAME);
    assertEquals(3, status.exitCode(), status.out() + status.err());
    assertTrue(status.err().startsWith("cedm: cannot reach Temporal at " + target), status.err());
  }

  @Test
  void aKeyThatIsNotPkcs8IsAUserErrorNamingTheFile() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.key"), "not a key\n");
    Cli status = Cli.run("status", "nope", "--store", tmp.resolve("store").toString(), "--target", target,
        "--tls-cert", clientCert.toString(), "--tls-key", junk.toString(), "--tls-ca", ca.toString());
    assertEquals(2, status.exitCode(), status.out() + status.err());
    assertTrue(status.err().startsWith("cedm: TLS client key (--tls-key) " + junk + ": not a PEM PKCS#8 private key"),
        status.err());
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(String subject, java.security.PublicKey key, String issuer,
      PrivateKey issuerKey, boolean authority) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + subject), key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
    if (!authority) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, subject.replace(' ', '-'))));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
  }

  private static Path pem(Path file, String type, byte[] der) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
