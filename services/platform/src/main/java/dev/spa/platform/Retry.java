package dev.spa.platform;

import dev.spa.SpaException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Bounded retries with exponential backoff, for calls to the object store: a transient failure
 * (network, a 5xx) is tried again up to {@code attempts} times; anything else fails at once.
 */
public record Retry(int attempts, Duration firstBackoff, Duration maxBackoff) {
    public static Retry standard() {
        return new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** A call that may throw anything. */
    public interface Call<T> {
        T run() throws Exception;
    }

    public <T> T run(String what, Call<T> call, Predicate<Exception> transientFailure) {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !transientFailure.test(e)) {
                    throw e;
                }
            } catch (Exception e) {
                if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                    // the I/O library cleared the thread's interrupt flag to throw this: set it again and stop
                    Thread.currentThread().interrupt();
                    throw new SpaException(what + " interrupted", e);
                }
                if (attempt >= attempts || !transientFailure.test(e)) {
                    throw new SpaException(what + " failed after " + attempt + " attempt(s): " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpaException(what + " interrupted", e);
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }
}
