package dev.spa.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's Java sources as references between the project's classes: for every file under a
 * {@code src/main/java} or {@code src/test/java}, its module (the folder holding {@code src}), whether it is test code,
 * its package and the {@code dev.spa} classes it names by import or by a fully qualified name in code (comments and
 * strings do not count).
 */
final class SourceTree {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.spa(?:\\.[a-z_0-9]+)*\\.[A-Z]\\w*)[\\w.*]*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])(dev\\.spa(?:\\.[a-z_0-9]+)*\\.[A-Z]\\w*)");

    /** One source file: its text, and the classes it refers to as fully qualified names. */
    record SourceFile(Path path, String module, boolean test, String pkg, String className, Set<String> references, String text) {
        String qualifiedName() {
            return pkg + "." + className;
        }
    }

    private final List<SourceFile> files;

    private SourceTree(List<SourceFile> files) {
        this.files = files;
    }

    List<SourceFile> files() {
        return files;
    }

    static SourceTree read(Path repository) {
        List<SourceFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(repository)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path relative = repository.relativize(p);
                String r = relative.toString().replace('\\', '/');
                int main = r.indexOf("/src/main/java/");
                int test = r.indexOf("/src/test/java/");
                if (r.contains("/target/") || (main < 0 && test < 0)) {
                    continue;
                }
                out.add(parse(p, r.substring(0, main >= 0 ? main : test), test >= 0, Files.readString(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the sources under " + repository, e);
        }
        return new SourceTree(out);
    }

    static SourceFile parse(Path path, String module, boolean test, String text) {
        Matcher pm = PACKAGE.matcher(text);
        String pkg = pm.find() ? pm.group(1) : "";
        String name = path.getFileName().toString().replace(".java", "");
        Set<String> refs = new LinkedHashSet<>();
        Matcher im = IMPORT.matcher(text);
        while (im.find()) {
            refs.add(im.group(1));
        }
        String code = codeOnly(text).replaceAll("(?m)^(import|package) .*$", "");
        Matcher qm = QUALIFIED.matcher(code);
        while (qm.find()) {
            refs.add(qm.group(1));
        }
        return new SourceFile(path, module, test, pkg, name, refs, text);
    }

    /** The package of a class's qualified name (nested classes included: the segments before the first capitalised one). */
    static String packageOf(String qualifiedName) {
        String[] parts = qualifiedName.split("\\.");
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            b.append(b.length() == 0 ? "" : ".").append(part);
        }
        return b.toString();
    }

    /** The text with comments, string and character literals blanked. */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                out.append(' ');
            } else if (s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                if (s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    j = end < 0 ? s.length() : end + 3;
                } else {
                    while (j < s.length() && s.charAt(j) != c) {
                        j += s.charAt(j) == '\\' ? 2 : 1;
                    }
                    j++;
                }
                i = j;
                out.append("\"\"");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
