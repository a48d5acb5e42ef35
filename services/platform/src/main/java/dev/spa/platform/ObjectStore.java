package dev.spa.platform;

import dev.spa.SpaException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The object store (MinIO or any S3) through the MinIO client, with bounded retries on transient
 * failures. Writes go to deterministic keys, so writing again after a redelivery overwrites the
 * same object instead of adding another.
 */
public final class ObjectStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");
    /** The part size of streamed writes: what one upload holds in memory at a time. */
    private static final long STREAM_PART_BYTES = 16L * 1024 * 1024;

    private final MinioClient client;
    private final Retry retry;

    public ObjectStore(MinioClient client, Retry retry) {
        this.client = client;
        this.retry = retry;
    }

    public static ObjectStore connect(String endpoint, String accessKey, String secretKey) {
        return new ObjectStore(MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build(), Retry.standard());
    }

    /**
     * Worth trying again: the network, a 5xx without a body ({@link ServerException}), or an S3 error response whose
     * status is 5xx (InternalError "Try again", ServiceUnavailable, SlowDown); missing objects and refusals (4xx) are
     * not. Under load S3Proxy answered a PUT with InternalError, and taking that as final failed a scorer's job before
     * it started.
     */
    static boolean isTransient(Exception e) {
        if (e instanceof ErrorResponseException r) {
            return r.response() != null && r.response().code() >= 500;
        }
        return e instanceof IOException || e instanceof ServerException;
    }

    public void ensureBucket(String bucket) {
        retry.run("creating bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        }, ObjectStore::isTransient);
    }

    public void put(S3Uri uri, byte[] data, String contentType) {
        retry.run("writing " + uri, () -> client.putObject(PutObjectArgs.builder().bucket(uri.bucket()).object(uri.key())
                .stream(new ByteArrayInputStream(data), data.length, -1).contentType(contentType).build()), ObjectStore::isTransient);
    }

    /**
     * Streams {@code in} into the object. A body of at most one part is read whole and written as {@link #put} writes,
     * with its retries: under the load test at 60 jobs/min a pooled connection that S3Proxy had closed failed one
     * upload's single request ("unexpected end of stream"), and a stream cannot be read twice. A larger body goes up in
     * parts (a multipart upload of unknown length), never whole in memory, and is not retried.
     */
    public void putStream(S3Uri uri, InputStream in, String contentType) {
        byte[] head;
        try {
            head = in.readNBytes((int) STREAM_PART_BYTES + 1);
        } catch (IOException e) {
            throw new SpaException("writing " + uri + " failed: " + e.getMessage(), e);
        }
        if (head.length <= STREAM_PART_BYTES) {
            put(uri, head, contentType);
            return;
        }
        try {
            client.putObject(PutObjectArgs.builder().bucket(uri.bucket()).object(uri.key())
                    .stream(new SequenceInputStream(new ByteArrayInputStream(head), in), -1, STREAM_PART_BYTES).contentType(contentType).build());
        } catch (Exception e) {
            throw new SpaException("writing " + uri + " failed: " + e.getMessage(), e);
        }
    }

    /** The object's size in bytes, looked up without reading it. */
    public long size(S3Uri uri) {
        return retry.run("looking up " + uri, () -> {
            try {
                return client.statObject(StatObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build()).size();
            } catch (ErrorResponseException e) {
                throw missingOr(e, uri);
            }
        }, ObjectStore::isTransient);
    }

    /** Removes the object; removing one that is not there is not an error. */
    public void delete(S3Uri uri) {
        retry.run("deleting " + uri, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
            return null;
        }, ObjectStore::isTransient);
    }

    public byte[] get(S3Uri uri) {
        return retry.run("reading " + uri, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build())) {
                return in.readAllBytes();
            } catch (ErrorResponseException e) {
                throw missingOr(e, uri);
            }
        }, ObjectStore::isTransient);
    }

    /** Writes the object into {@code file}, streamed: an object of any size (a model's 2 GB data file) never whole in memory. */
    public void download(S3Uri uri, Path file) {
        retry.run("reading " + uri, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build())) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return null;
            } catch (ErrorResponseException e) {
                throw missingOr(e, uri);
            }
        }, ObjectStore::isTransient);
    }

    /** Writes {@code file} to the object, streamed in parts; retried like {@link #put} (a file can be read again). */
    public void upload(S3Uri uri, Path file, String contentType) {
        retry.run("writing " + uri, () -> client.uploadObject(UploadObjectArgs.builder().bucket(uri.bucket()).object(uri.key())
                .filename(file.toString(), STREAM_PART_BYTES).contentType(contentType).build()), ObjectStore::isTransient);
    }

    public boolean exists(S3Uri uri) {
        return retry.run("looking up " + uri, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
                return true;
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    return false;
                }
                throw e;
            }
        }, ObjectStore::isTransient);
    }

    /** Every object whose key starts with the prefix's key, in key order. */
    public List<S3Uri> list(S3Uri prefix) {
        return listModified(prefix).stream().map(Listed::uri).toList();
    }

    /** An object found by a listing, and when it was last written. */
    public record Listed(S3Uri uri, Instant modified) {
    }

    /** The same with each object's last-modified time, for deciding what is old enough to remove. */
    public List<Listed> listModified(S3Uri prefix) {
        return retry.run("listing " + prefix, () -> {
            List<Listed> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(prefix.bucket()).prefix(prefix.key())
                    .recursive(true).build())) {
                try {
                    Item item = r.get();
                    out.add(new Listed(new S3Uri(prefix.bucket(), item.objectName()),
                            item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant()));
                } catch (ErrorResponseException e) {
                    throw missingOr(e, prefix);
                }
            }
            return out;
        }, ObjectStore::isTransient);
    }

    private static Exception missingOr(ErrorResponseException e, S3Uri uri) {
        return MISSING.contains(e.errorResponse().code()) ? new ObjectNotFoundException(uri) : e;
    }
}
