package dev.spa.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The generated parts of the README and docs/ARCHITECTURE.md, rendered from the tree: the modules from the root
 * pom.xml and each module's name, the packages from their package-info.java, the engine's layers from
 * {@link ImportRules#ENGINE_LAYERS}. Each part sits between {@code <!-- NAME:begin ... -->} and {@code <!-- NAME:end -->}.
 */
final class DocsMap {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");
    private static final Pattern ARTIFACT = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");

    private DocsMap() {
    }

    /** The README's map: modules, then the engine's packages bottom layer first, then every other package by module. */
    static String map(Path repository) {
        StringBuilder b = new StringBuilder("| module | artifact | what it is |\n|---|---|---|\n");
        Matcher m = MODULE.matcher(read(repository.resolve("pom.xml")));
        while (m.find()) {
            String pom = read(repository.resolve(m.group(1)).resolve("pom.xml"));
            b.append("| `").append(m.group(1)).append("/` | ").append(first(ARTIFACT, pom)).append(" | ")
                    .append(first(NAME, pom).replaceFirst("^SPA[^:]*: ", "")).append(" |\n");
        }
        TreeMap<String, SourceTree.SourceFile> packages = new TreeMap<>();
        for (SourceTree.SourceFile f : SourceTree.read(repository).files()) {
            if (!f.test() && f.className().equals("package-info")) {
                packages.put(f.pkg(), f);
            }
        }
        b.append("\n| engine package (bottom layer first) | what it is for |\n|---|---|\n");
        for (Set<String> layer : ImportRules.ENGINE_LAYERS) {
            for (String pkg : layer.stream().sorted().toList()) {
                b.append(row(pkg, packages.remove(pkg)));
            }
        }
        b.append("\n| other package | module | what it is for |\n|---|---|---|\n");
        packages.values().stream().sorted(Comparator.comparing(SourceTree.SourceFile::module))
                .forEach(f -> b.append("| `").append(f.pkg()).append("` | `").append(f.module()).append("/` | ")
                        .append(description(f.text())).append(" |\n"));
        return b.toString();
    }

    /** ARCHITECTURE.md's layer table. */
    static String layers() {
        StringBuilder b = new StringBuilder("| layer | packages |\n|---|---|\n");
        for (int i = 0; i < ImportRules.ENGINE_LAYERS.size(); i++) {
            b.append("| ").append(i).append(" | ").append(ImportRules.ENGINE_LAYERS.get(i).stream().sorted()
                    .map(p -> "`" + p + "`").collect(Collectors.joining(", "))).append(" |\n");
        }
        return b.toString();
    }

    /** The text between a document's markers for {@code name}, or null where it has none. */
    static String block(String document, String name) {
        Matcher m = markers(name).matcher(document);
        return m.find() ? m.group(2) : null;
    }

    static String withBlock(String document, String name, String content) {
        Matcher m = markers(name).matcher(document);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " markers");
        }
        return document.substring(0, m.start(2)) + content + document.substring(m.end(2));
    }

    private static Pattern markers(String name) {
        return Pattern.compile("(<!-- " + name + ":begin[^>]*-->\\n)(.*?)(<!-- " + name + ":end -->)", Pattern.DOTALL);
    }

    private static String row(String pkg, SourceTree.SourceFile info) {
        return "| `" + pkg + "` | " + (info == null ? "(no package-info.java)" : description(info.text())) + " |\n";
    }

    /** The package-info's Javadoc as one line: what the package is for, then (in italics) what it may import. */
    static String description(String doc) {
        int start = doc.indexOf("/**");
        int end = doc.indexOf("*/");
        String text = doc.substring(start + 3, end).lines().map(l -> l.replaceFirst("^\\s*\\*\\s?", "")).collect(Collectors.joining(" ")).trim()
                .replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`").replaceAll("\\s+", " ");
        String[] parts = text.split("<p>", 2);
        return parts[0].trim() + (parts.length > 1 ? " *" + parts[1].trim() + "*" : "");
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1).trim() : "";
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p, e);
        }
    }
}
