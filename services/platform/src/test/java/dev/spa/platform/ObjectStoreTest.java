package dev.spa.platform;

import com.sun.net.httpserver.HttpServer;
import dev.spa.SpaException;
import dev.spa.testkit.S3Server;
import dev.spa.testkit.ServerProcess;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The object store on a real S3 server: deterministic keys, missing objects named, bounded retries. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreTest {
    private S3Server s3;
    private ObjectStore store;

    @BeforeAll
    void start(@TempDir Path dir) {
        s3 = S3Server.start(dir.resolve("s3"), "spa-access", "spa-secret-key");
        store = ObjectStore.connect(s3.endpoint(), s3.accessKey(), s3.secretKey());
        store.ensureBucket("spa");
    }

    @AfterAll
    void stop() {
        s3.close();
    }

    @Test
    void writesReadsAndOverwritesAtDeterministicKeys() {
        JobKeys keys = new JobKeys("spa", "job-7");
        assertEquals("s3://spa/jobs/job-7/pruned.onnx", keys.prunedModel().toString());
        assertFalse(store.exists(keys.prunedModel()));
        store.put(keys.prunedModel(), bytes("first"), "application/octet-stream");
        store.put(keys.prunedModel(), bytes("second"), "application/octet-stream");
        assertArrayEquals(bytes("second"), store.get(keys.prunedModel()), "a redelivered write replaces the object");
        assertEquals(List.of(keys.prunedModel()), store.list(new S3Uri("spa", "jobs/job-7/")));
        store.ensureBucket("spa");
    }

    @Test
    void aMissingObjectOrBucketIsNamedAndNotRetried() {
        S3Uri missing = S3Uri.parse("s3://spa/models/none.onnx");
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> store.get(missing));
        assertEquals("no object at s3://spa/models/none.onnx", e.getMessage());
        assertThrows(ObjectNotFoundException.class, () -> store.get(S3Uri.parse("s3://no-such-bucket/x")));
    }

    @Test
    void badAddressesAndJobIdsAreRefusedWithTheReason() {
        assertThrows(SpaException.class, () -> S3Uri.parse("http://spa/x"));
        assertThrows(SpaException.class, () -> new JobKeys("spa", "../escape"));
    }

    @Test
    void anUnreachableStoreFailsAfterBoundedRetries() {
        int closedPort = ServerProcess.freePort();
        ObjectStore down = new ObjectStore(MinioClient.builder().endpoint("http://127.0.0.1:" + closedPort)
                .credentials("a", "b").build(), new Retry(3, Duration.ofMillis(10), Duration.ofMillis(20)));
        long t0 = System.nanoTime();
        SpaException e = assertThrows(SpaException.class, () -> down.put(S3Uri.parse("s3://spa/x"), bytes("x"), "text/plain"));
        assertTrue(e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "bounded");
    }

    /**
     * An S3 error response with a 5xx status ("InternalError: Try again", what S3Proxy answered a PUT with under the
     * load test) is tried again, up to the bound; a 4xx one (here AccessDenied) fails at once. S3Proxy cannot be made
     * to fail on demand, so a one-line HTTP server stands in for a failing store.
     */
    @Test
    void aServerErrorResponseIsTriedAgainAndAClientErrorIsNot() throws Exception {
        for (int status : new int[] {500, 403}) {
            AtomicInteger requests = new AtomicInteger();
            HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String code = status == 500 ? "InternalError" : "AccessDenied";
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>no</Message>"
                    + "<RequestId>1</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            failing.createContext("/", exchange -> {
                requests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            failing.start();
            try {
                ObjectStore store = new ObjectStore(MinioClient.builder().endpoint("http://127.0.0.1:" + failing.getAddress().getPort())
                        .credentials("a", "b").region("us-east-1").build(), new Retry(3, Duration.ofMillis(10), Duration.ofMillis(20)));
                SpaException e = assertThrows(SpaException.class, () -> store.put(S3Uri.parse("s3://spa/x"), bytes("x"), "text/plain"));
                int expected = status == 500 ? 3 : 1;
                assertTrue(e.getMessage().contains("after " + expected + " attempt(s)"), e.getMessage());
                assertEquals(expected, requests.get(), "requests answered " + status);
            } finally {
                failing.stop(0);
            }
        }
    }

    /**
     * A streamed body of one part is written with put's retries: the first connection to the store is dropped once the
     * request has arrived, with no answer (what a pooled connection the server had closed gave under the load test:
     * "unexpected end of stream"), and the upload still lands whole in the real store.
     */
    @Test
    void aStreamedBodyOfOnePartIsTriedAgainWhenTheConnectionDrops() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(URI.create(s3.endpoint()).getPort(), 1)) {
            ObjectStore viaProxy = new ObjectStore(MinioClient.builder().endpoint("http://127.0.0.1:" + proxy.port())
                    .credentials(s3.accessKey(), s3.secretKey()).region("us-east-1").build(), new Retry(3, Duration.ofMillis(10), Duration.ofMillis(20)));
            byte[] model = new byte[300_000];
            new Random(1).nextBytes(model);
            S3Uri uri = S3Uri.parse("s3://spa/uploads/job-1/model.onnx");
            viaProxy.putStream(uri, new ByteArrayInputStream(model), "application/octet-stream");
            assertEquals(1, proxy.dropped(), "the first request was dropped");
            assertArrayEquals(model, store.get(uri));
        }
    }

    /** Forwards TCP connections to a port, except the first {@code drop}, which it reads from and closes unanswered. */
    private static final class DroppingProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger dropped = new AtomicInteger();

        DroppingProxy(int target, int drop) throws IOException {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = server.accept();
                        if (dropped.get() < drop) {
                            client.getInputStream().read(new byte[8192]); // the request has arrived
                            dropped.incrementAndGet();
                            client.close();
                            continue;
                        }
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                } catch (IOException closed) {
                    // the proxy was closed
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (from; to) {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException ignored) {
                    // either side closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int dropped() {
            return dropped.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
