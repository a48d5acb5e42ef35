package dev.spa.platform;

import dev.spa.SpaException;

/** An object's address, {@code s3://bucket/key}. */
public record S3Uri(String bucket, String key) {
    public S3Uri {
        if (bucket == null || bucket.isEmpty()) {
            throw new SpaException("an object address needs a bucket");
        }
        if (key == null) {
            key = "";
        }
    }

    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new SpaException("not an object address (s3://bucket/key): '" + uri + "'");
        }
        String rest = uri.substring(5);
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Uri(rest, "") : new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public S3Uri resolve(String child) {
        return new S3Uri(bucket, key.isEmpty() || key.endsWith("/") ? key + child : key + "/" + child);
    }

    /** The object at {@code relative} from this object's folder: where a model's external data file lies. */
    public S3Uri sibling(String relative) {
        int slash = key.lastIndexOf('/');
        return new S3Uri(bucket, (slash < 0 ? "" : key.substring(0, slash + 1)) + relative);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
