package dev.spa.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small scale the code keeps: no main source file over {@value #MAX_FILE_LINES} lines, and no engine method over
 * {@value #MAX_ENGINE_METHOD_LINES} lines (header to closing brace). Methods are found by the project's layout: a
 * declaration ending in "{" on its own indentation, closed by "}" at that indentation.
 */
final class SizeRules {
    static final int MAX_FILE_LINES = 400;
    static final int MAX_ENGINE_METHOD_LINES = 60;
    private static final Pattern METHOD = Pattern.compile("^( +)(?:(?:public|private|protected|static|final|synchronized|abstract|default)\\s+)*"
            + "(?:<[^>]+>\\s+)?[\\w<>\\[\\], ?.]+\\s+(\\w+)\\s*\\(.*\\{\\s*$");
    private static final Pattern NOT_A_METHOD = Pattern.compile("^\\s*(if|for|while|switch|try|else|catch|do|synchronized|return|case|default|new)\\b"
            + "|->|\\b(class|record|enum|interface)\\b");

    private SizeRules() {
    }

    static List<String> violations(SourceTree tree) {
        List<String> out = new ArrayList<>();
        for (SourceTree.SourceFile f : tree.files()) {
            if (f.test()) {
                continue;
            }
            List<String> lines = f.text().lines().toList();
            if (lines.size() > MAX_FILE_LINES) {
                out.add(f.path().getFileName() + " (" + f.module() + ") has " + lines.size() + " lines, over " + MAX_FILE_LINES);
            }
            if (f.module().equals(ImportRules.ENGINE)) {
                longMethods(f, lines, out);
            }
        }
        return out;
    }

    private static void longMethods(SourceTree.SourceFile f, List<String> lines, List<String> out) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = METHOD.matcher(line);
            if (!m.matches() || NOT_A_METHOD.matcher(line).find() || line.substring(0, line.indexOf('(')).contains("=")) {
                continue;
            }
            String close = m.group(1) + "}";
            for (int j = i + 1; j < lines.size(); j++) {
                if (lines.get(j).equals(close)) {
                    int length = j - i + 1;
                    if (length > MAX_ENGINE_METHOD_LINES) {
                        out.add(f.path().getFileName() + ":" + (i + 1) + " " + m.group(2) + " has " + length + " lines, over "
                                + MAX_ENGINE_METHOD_LINES);
                    }
                    break;
                }
            }
        }
    }
}
