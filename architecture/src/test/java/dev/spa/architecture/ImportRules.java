package dev.spa.architecture;

import dev.spa.architecture.SourceTree.SourceFile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The import rules of docs/ARCHITECTURE.md, checked on the sources: the engine names only itself and the schemas, no
 * service names another, main code names no test code, only the CLI names the CLI, and an engine package names only
 * packages in layers below its own. Each broken rule is one line saying which file names what.
 */
final class ImportRules {
    static final String ENGINE = "engine";
    static final String CLI = "cli";
    static final Set<String> SERVICES = Set.of("services/ingest", "services/grouping", "services/scorer", "services/exporter");
    /** Generated from the protobuf schemas: the engine may name them (onnx.proto is its own; the manifest travels in events). */
    static final Set<String> SCHEMAS = Set.of("dev.spa.onnx", "dev.spa.events.manifest");
    /**
     * The engine's layers, bottom first: a package names packages of lower layers only (packages on one line are one
     * layer and may name each other). Every engine package is on one line.
     */
    static final List<Set<String>> ENGINE_LAYERS = List.of(
            Set.of("dev.spa"),
            Set.of("dev.spa.text"),
            Set.of("dev.spa.ir"),
            Set.of("dev.spa.linalg", "dev.spa.linalg.cuda"),
            Set.of("dev.spa.rules"),
            Set.of("dev.spa.groups"),
            Set.of("dev.spa.plan"),
            Set.of("dev.spa.cost"),
            Set.of("dev.spa.importance"),
            Set.of("dev.spa.runtime"),
            Set.of("dev.spa.surgery"),
            Set.of("dev.spa.verify"),
            Set.of("dev.spa.obspa"),
            Set.of("dev.spa.select"),
            Set.of("dev.spa.manifest"),
            Set.of("dev.spa.policy"),
            Set.of("dev.spa.pruning"),
            Set.of("dev.spa.latency"),
            Set.of("dev.spa.quality"),
            Set.of("dev.spa.modelkit"));

    private ImportRules() {
    }

    static List<String> violations(SourceTree tree) {
        Map<String, String> mainPackageModule = new HashMap<>();
        Set<String> mainClasses = new HashSet<>();
        Set<String> testClasses = new HashSet<>();
        for (SourceFile f : tree.files()) {
            (f.test() ? testClasses : mainClasses).add(f.qualifiedName());
            if (!f.test()) {
                mainPackageModule.putIfAbsent(f.pkg(), f.module());
            }
        }
        List<String> out = new ArrayList<>();
        for (SourceFile f : tree.files()) {
            for (String ref : f.references()) {
                String pkg = SourceTree.packageOf(ref);
                String owner = mainPackageModule.get(pkg);
                String where = f.path().getFileName() + " (" + f.module() + (f.test() ? " test" : "") + ") names " + ref;
                if (!f.test() && testClasses.contains(outerClass(ref)) && !mainClasses.contains(outerClass(ref))) {
                    out.add(where + ": main code names test code");
                }
                if (f.module().equals(ENGINE) && !f.test() && !SCHEMAS.contains(pkg) && !ENGINE.equals(owner)) {
                    out.add(where + ": the engine names only itself and the schemas");
                }
                if (SERVICES.contains(f.module()) && owner != null && SERVICES.contains(owner) && !owner.equals(f.module())) {
                    out.add(where + ": a service names another service");
                }
                if (CLI.equals(owner) && !f.module().equals(CLI)) {
                    out.add(where + ": only the CLI names the CLI (it is an application, not a library)");
                }
                if (f.module().equals(ENGINE) && !f.test() && ENGINE.equals(owner)) {
                    layerViolation(f, pkg).ifPresent(v -> out.add(where + ": " + v));
                }
            }
            if (f.module().equals(ENGINE) && !f.test() && layer(f.pkg()) < 0) {
                out.add(f.path().getFileName() + " is in " + f.pkg() + ", which is in no layer of ImportRules.ENGINE_LAYERS");
            }
        }
        return out;
    }

    private static Optional<String> layerViolation(SourceFile f, String referenced) {
        int from = layer(f.pkg());
        int to = layer(referenced);
        if (from < 0 || to < 0 || to < from || referenced.equals(f.pkg()) || ENGINE_LAYERS.get(from).contains(referenced)) {
            return Optional.empty();
        }
        return Optional.of(f.pkg() + " (layer " + from + ") may not name " + referenced + " (layer " + to + ")");
    }

    private static int layer(String pkg) {
        for (int i = 0; i < ENGINE_LAYERS.size(); i++) {
            if (ENGINE_LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code a.b.Outer.Inner} to {@code a.b.Outer}: test code is found by its file's class. */
    private static String outerClass(String ref) {
        String pkg = SourceTree.packageOf(ref);
        String rest = ref.substring(pkg.length() + 1);
        int dot = rest.indexOf('.');
        return pkg + "." + (dot < 0 ? rest : rest.substring(0, dot));
    }
}
