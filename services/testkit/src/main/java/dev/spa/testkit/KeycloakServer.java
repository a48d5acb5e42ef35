package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak (the distribution the build unpacked) in development mode with an in-memory database,
 * a realm imported from a file, on a free port: an OpenID Connect provider that issues real access tokens.
 * Keycloak needs Java 21 or later, which may not be the JDK running the tests: {@link #javaHome()} finds one.
 */
public final class KeycloakServer extends ServerProcess {
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private final int port;

    private KeycloakServer(List<String> command, Map<String, String> environment, Path dir, int port) {
        super("Keycloak", command, environment, dir, dir.resolve("keycloak.log"));
        this.port = port;
    }

    /** A JDK of version 21 or later: KEYCLOAK_JAVA_HOME, else the newest such under /usr/lib/jvm; empty if none. */
    public static Optional<Path> javaHome() {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(j -> majorVersion(j) >= 21).max(Comparator.comparingInt(KeycloakServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path jdk) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return m.find() && Files.isExecutable(jdk.resolve("bin/java")) ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The unpacked distribution, if the build made one (deploy/servers/target/keycloak/keycloak-*). */
    public static Optional<Path> distribution() {
        Path dir = serversDir().resolve("keycloak");
        try (Stream<Path> found = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return found.filter(p -> Files.isRegularFile(p.resolve("bin/kc.sh"))).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Starts Keycloak with the realm in {@code realmFile} imported; waits until the realm's discovery document answers. */
    public static KeycloakServer start(Path dir, Path realmFile, String realm) {
        Path home = distribution().orElseThrow(() -> new IllegalStateException("no Keycloak distribution under " + serversDir()));
        Path java = javaHome().orElseThrow(() -> new IllegalStateException("Keycloak needs Java 21+: none under /usr/lib/jvm, set KEYCLOAK_JAVA_HOME"));
        int port = freePort();
        try {
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmFile, home.resolve("data/import/" + realm + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String adminPassword = KafkaSecurity.newUserPassword();
        KeycloakServer server = new KeycloakServer(List.of(home.resolve("bin/kc.sh").toString(), "start-dev", "--http-host=127.0.0.1",
                "--http-port=" + port, "--db=dev-mem", "--import-realm", "--health-enabled=false"),
                Map.of("JAVA_HOME", java.toString(), "KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                        "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m"), dir, port);
        server.awaitDiscovery(realm, Duration.ofSeconds(180));
        return server;
    }

    private void awaitDiscovery(String realm, Duration timeout) {
        awaitPort(port, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isAlive() && answers(issuer(realm) + "/.well-known/openid-configuration")) {
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException("Keycloak's realm " + realm + " did not answer within " + timeout + ":\n" + logTail());
    }

    public String issuer(String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    /** An access token for a confidential client by the client-credentials grant, as a CI job or service would get one. */
    public String clientToken(String realm, String clientId, String secret) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret)).build();
        HttpResponse<String> r = send(request);
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("Keycloak gave no token for " + clientId + ": " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    private static boolean answers(String url) {
        try {
            return send(HttpRequest.newBuilder(URI.create(url)).build()).statusCode() == 200;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
