package dev.spa.platform;

import dev.spa.SpaException;

/** The object (or its bucket) does not exist: not worth retrying, the job fails with this reason. */
public final class ObjectNotFoundException extends SpaException {
    public ObjectNotFoundException(S3Uri uri) {
        super("no object at " + uri);
    }
}
