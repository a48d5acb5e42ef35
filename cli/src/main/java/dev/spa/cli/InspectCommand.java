package dev.spa.cli;

import dev.spa.events.manifest.GroupEntry;
import dev.spa.events.manifest.GroupManifest;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.manifest.ManifestWriter;
import dev.spa.text.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** {@code spa inspect model.onnx [--json manifest.json] [--pb manifest.pb]}: groups, prunable share and cost. */
final class InspectCommand {
    private InspectCommand() {
    }

    static void run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = new Args(argv, 1, Set.of("json", "pb", "max-size", "input-shape"), Set.of());
        Path file = Path.of(args.positional(0, "model file (spa inspect model.onnx)"));
        err.println("loading " + file);
        InputShapes stated = InputShapes.parse(args.all("input-shape"));
        Model model = stated.applyTo(new ModelLoader((long) args.number("max-size", ModelLoader.DEFAULT_SIZE_LIMIT)).load(file));
        err.println("analysing " + model.graph().nodes().size() + " nodes");
        Analysis analysis = Analysis.of(model);
        GroupManifest manifest = ManifestWriter.manifest(file.getFileName().toString(), analysis);
        long prunableParams = analysis.parametersInPrunableGroups();
        Table t = new Table("group", "channels", "prunable", "params/ch", "MACs/ch", "first member", "why not / note");
        for (int i = 0; i < manifest.getGroupsCount(); i++) {
            GroupEntry e = manifest.getGroups(i);
            Group g = analysis.groups().get(i);
            String note = !e.getBlockedReasonsList().isEmpty() ? e.getBlockedReasons(0)
                    : e.getMixingReasonsCount() > 0 ? "channel-mixing: " + e.getMixingReasons(0) : "";
            t.row(e.getId(), e.getChannels(), e.getPrunable() ? "yes" : "no", e.getParamsPerChannel(), e.getMacsPerChannel(), g.label(), note);
        }
        out.print(t.render());
        long prunable = manifest.getGroupsList().stream().filter(GroupEntry::getPrunable).count();
        out.printf("%n%s: %d nodes, %d groups, %d prunable; parameters %s, MACs %s; parameters in tensors that prunable groups slice %s (%s)%n",
                file.getFileName(), model.graph().nodes().size(), manifest.getGroupsCount(), prunable,
                Table.millions(manifest.getParams()), Table.millions(manifest.getMacs()), Table.millions(prunableParams),
                Table.percent(manifest.getParams() == 0 ? 0 : (double) prunableParams / manifest.getParams()));
        for (String note : new String[] {stated.unstatedFreeDimensions(model), analysis.unprunedBodiesNote()}) {
            if (!note.isEmpty()) {
                out.println("note: " + note);
            }
        }
        if (args.has("json")) {
            Files.writeString(Path.of(args.get("json", "")), ManifestWriter.json(manifest));
            err.println("manifest written to " + args.get("json", ""));
        }
        if (args.has("pb")) {
            Files.write(Path.of(args.get("pb", "")), manifest.toByteArray());
            err.println("manifest written to " + args.get("pb", ""));
        }
    }
}
