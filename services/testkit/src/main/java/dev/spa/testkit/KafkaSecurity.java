package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a broker needs to run as production does: clients on SASL_SSL (SCRAM-SHA-512 over TLS with a
 * certificate made for this run), the controller on SASL PLAIN bound to the loopback, Kafka's
 * StandardAuthorizer with no access where no ACL allows it, and one super user (the broker itself and
 * whoever sets up users, topics and ACLs). Service users and their ACLs are added through the Admin API.
 */
public final class KafkaSecurity {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String ADMIN = "admin";
    private static final String STORE_PASSWORD = "spa-test-store";

    private final Path keystore;
    private final Path certificate;
    private final String adminPassword = newPassword();

    private KafkaSecurity(Path keystore, Path certificate) {
        this.keystore = keystore;
        this.certificate = certificate;
    }

    /** Makes a self-signed certificate for 127.0.0.1 (its own CA) with the JDK's keytool. */
    static KafkaSecurity create(Path dir) {
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(keystore);
            run(dir, keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD);
            run(dir, keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
                    "-storepass", STORE_PASSWORD, "-file", certificate.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KafkaSecurity(keystore, certificate);
    }

    private static void run(Path dir, String... command) throws IOException {
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The broker's listener, TLS, SASL and authorizer settings. */
    List<String> brokerSettings(int port, int controller) {
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
                + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";";
        return List.of(
                "listeners=SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=SASL_SSL://127.0.0.1:" + port,
                "inter.broker.listener.name=SASL_SSL",
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(ADMIN, adminPassword),
                // SCRAM users live in the metadata log, which the controller must read before it can check them:
                // the controller's own listener uses PLAIN with a static user instead (Kafka's KRaft guidance)
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=" + plain,
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + keystore.toAbsolutePath(),
                "ssl.keystore.password=" + STORE_PASSWORD,
                // the broker is a client of its own listener too (inter-broker traffic), and checks the certificate like any
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certificate.toAbsolutePath(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + ADMIN,
                "allow.everyone.if.no.acl.found=false");
    }

    /** Storage-format arguments that create the admin's SCRAM credential before the broker first starts. */
    List<String> formatArguments() {
        return List.of("--add-scram=" + MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]");
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Client settings for one user: SASL_SSL, SCRAM, and this run's certificate as the only trusted one. */
    public Map<String, Object> clientProperties(String bootstrapServers, String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(user, password));
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", certificate.toAbsolutePath().toString());
        return p;
    }

    public Map<String, Object> adminProperties(String bootstrapServers) {
        return clientProperties(bootstrapServers, ADMIN, adminPassword);
    }

    /** The PEM file clients trust (the broker's self-signed certificate). */
    public Path certificate() {
        return certificate;
    }

    public static String newUserPassword() {
        return newPassword();
    }
}
