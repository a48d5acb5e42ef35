package dev.spa.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An upload's body on its way to the object store: counts the bytes and hashes them (SHA-256) as they
 * pass, and stops the copy with an IOException once more than {@code limit} bytes have come.
 */
final class CountingDigestStream extends FilterInputStream {
    private final long limit;
    private final MessageDigest sha256;
    private long count;
    private boolean overLimit;

    CountingDigestStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            sha256.update(b, off, n);
            if (count > limit) {
                overLimit = true;
                throw new IOException("the upload is over the limit of " + limit + " bytes");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an upload is read whole, not skipped");
    }

    long count() {
        return count;
    }

    boolean overLimit() {
        return overLimit;
    }

    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
