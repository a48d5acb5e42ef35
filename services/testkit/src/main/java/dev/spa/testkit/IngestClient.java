package dev.spa.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ingest's REST API as a user calls it, with a bearer token: POST /models with the model as the body (answered 202 with the job id), GET /jobs/{id}. */
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
    public static String upload(String ingest, String token, HttpRequest.BodyPublisher model, String query) {
        HttpResponse<String> r = uploadResponse(ingest, token, model, query);
        Matcher m = JOB_ID.matcher(r.body());
        if (r.statusCode() != 202 || !m.find()) {
            throw new IllegalStateException("upload refused: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** POST /models, answered as it comes (202, or 400/413/429 with the reason). */
    public static HttpResponse<String> uploadResponse(String ingest, String token, HttpRequest.BodyPublisher model, String query) {
        return send(ingest, HttpRequest.newBuilder(URI.create(ingest + "/models" + query)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").POST(model).build());
    }

    /** GET /jobs/{id} with the token: the answer as it comes (200 with the status as JSON, 404, 401). */
    public static HttpResponse<String> status(String ingest, String token, String jobId) {
        return send(ingest, HttpRequest.newBuilder(URI.create(ingest + "/jobs/" + jobId)).header("Authorization", "Bearer " + token).build());
    }

    /** What ingest's token table holds for a token: its SHA-256, in hex. */
    public static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(String ingest, HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach ingest at " + ingest + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
