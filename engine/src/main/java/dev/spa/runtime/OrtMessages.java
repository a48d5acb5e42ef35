package dev.spa.runtime;

import ai.onnxruntime.OrtException;

import java.util.regex.Pattern;

/**
 * ONNX Runtime's error text as a user should read it: without the Java-side code prefix, and without
 * the C++ source locations and function signatures of the build it came from.
 */
public final class OrtMessages {
    private static final Pattern CODE = Pattern.compile("^Error code - \\S+ - message - ");
    /** A source location of the runtime's build, and the C++ signature that follows it. */
    private static final Pattern SOURCE = Pattern.compile(
            "/\\S*?onnxruntime\\S*?\\.(cc|cpp|h):\\d+\\s+((\\w+\\s+)?[\\w:<>~,*&]+::[\\w<>~]+\\([^)]*\\)(\\s+const)?\\s+)?");

    private OrtMessages() {
    }

    public static String reason(OrtException e) {
        return clean(String.valueOf(e.getMessage()));
    }

    static String clean(String message) {
        return SOURCE.matcher(CODE.matcher(message).replaceFirst("")).replaceAll("").trim();
    }
}
