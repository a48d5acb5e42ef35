package dev.spa.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ingest's upload as a user makes it: POST /models with the model as the body, answered 202 with the job id. */
public final class IngestClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\":\"([^\"]+)\"");

    private IngestClient() {
    }

    /**
     * @param ingest the service's base address, without a trailing slash
     * @param query  the policy overrides, starting with '?' (or empty)
     * @return the job id
     */
    public static String upload(String ingest, HttpRequest.BodyPublisher model, String query) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(ingest + "/models" + query))
                    .header("Content-Type", "application/octet-stream").POST(model).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach ingest at " + ingest + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher m = JOB_ID.matcher(r.body());
        if (r.statusCode() != 202 || !m.find()) {
            throw new IllegalStateException("upload refused: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }
}
