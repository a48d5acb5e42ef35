package dev.spa;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex: how models (ingest's checksum, the latency models' cache key) and API tokens are named. */
public final class Sha256 {
    private Sha256() {
    }

    public static String hex(byte[] bytes) {
        return hex(digest(), bytes);
    }

    /** A new SHA-256 digest, to feed in parts. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The digest of what was fed to it and then {@code last}, in hex. */
    public static String hex(MessageDigest digest, byte[] last) {
        return HexFormat.of().formatHex(digest.digest(last));
    }
}
