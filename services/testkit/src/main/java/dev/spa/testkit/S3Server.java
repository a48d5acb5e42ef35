package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A real S3 server: S3Proxy from Maven Central with its filesystem backend, checking AWS signatures
 * (v2 or v4) against one access key and secret.
 */
public final class S3Server extends ServerProcess {
    private final int port;
    private final String accessKey;
    private final String secretKey;

    private S3Server(List<String> command, Path dir, int port, String accessKey, String secretKey) {
        super("S3 server", command, dir, dir.resolve("s3proxy.log"));
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts on a free port, storing buckets under {@code dir}/data. */
    public static S3Server start(Path dir, String accessKey, String secretKey) {
        int port = freePort();
        Path config = dir.resolve("s3proxy.conf");
        try {
            Files.createDirectories(dir.resolve("data"));
            // the file holds the secret: created readable and writable by its owner only, before anything is written to it
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data").toAbsolutePath()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String jar = serversDir().resolve("s3proxy/s3proxy.jar").toAbsolutePath().toString();
        S3Server server = new S3Server(List.of(java(), "-Xmx256m", "-jar", jar, "--properties", config.toString()), dir, port,
                accessKey, secretKey);
        server.awaitPort(port, Duration.ofSeconds(60));
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }
}
