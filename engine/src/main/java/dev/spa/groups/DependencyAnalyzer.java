package dev.spa.groups;

import dev.spa.Interruption;
import dev.spa.SpaException;
import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.rules.Coupling;
import dev.spa.rules.Dim;
import dev.spa.rules.OperatorRule;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the groups of coupled channels by mask propagation: every weight axis that starts channels
 * is a seed; each tracked axis is followed through the nodes that produce and consume its value by
 * the operator rules; positions that must go together are joined; coupled channels that touch the
 * same axes form a group. An operator with no rule blocks the axes that reach it.
 */
public final class DependencyAnalyzer {
    private final Graph graph;
    private final Shapes shapes;
    private final OperatorRules rules;
    private final UnionFind positions = new UnionFind();
    private final Map<Dim, Integer> base = new LinkedHashMap<>();
    private final Map<Dim, Integer> sizes = new HashMap<>();
    private final Map<Dim, Role> roles = new HashMap<>();
    private final Map<Dim, List<String>> blocked = new HashMap<>();
    private final Map<Dim, List<String>> mixing = new HashMap<>();
    private final Deque<Dim> worklist = new ArrayDeque<>();

    public DependencyAnalyzer(Graph graph, Shapes shapes, OperatorRules rules) {
        this.graph = graph;
        this.shapes = shapes;
        this.rules = rules;
    }

    public List<Group> analyze() {
        for (Node node : graph.nodes()) {
            OperatorRule rule = rules.find(node);
            if (rule == null) {
                continue;
            }
            for (Dim seed : rule.seeds(node, graph::constant)) {
                track(seed);
            }
        }
        Set<String> visited = new HashSet<>();
        Coupling coupling = new Links();
        while (!worklist.isEmpty()) {
            Interruption.check();
            Dim dim = worklist.poll();
            String value = dim.value();
            if (graph.isGraphInput(value)) {
                blockDim(dim, "reaches graph input '" + value + "'");
            }
            if (graph.isGraphOutput(value)) {
                blockDim(dim, "reaches graph output '" + value + "'");
            }
            List<Node> adjacent = new ArrayList<>(graph.consumers(value));
            Node producer = graph.producer(value);
            if (producer != null) {
                adjacent.add(producer);
            }
            for (Node node : adjacent) {
                if (!visited.add(node.name() + "\u0000" + dim)) {
                    continue;
                }
                OperatorRule rule = rules.find(node);
                if (rule == null) {
                    blockDim(dim, "no rule for operator " + node.opType() + " ('" + node.name() + "')");
                } else if (dim.folded() && !rule.followsFoldedAxes()) {
                    blockDim(dim, node.opType() + " '" + node.name() + "' does not follow heads folded into another axis");
                } else {
                    try {
                        rule.propagate(node, dim, coupling);
                    } catch (SpaException e) {
                        blockDim(dim, node.opType() + " '" + node.name() + "': " + e.getMessage());
                    }
                }
            }
        }
        return buildGroups();
    }

    private boolean track(Dim dim) {
        if (base.containsKey(dim)) {
            return true;
        }
        long[] shape = shapes.get(dim.value());
        if (shape == null || dim.axis() >= shape.length || (shape[dim.axis()] < 0 && !dim.folded())) {
            return false;
        }
        int n = dim.folded() ? dim.fold() : (int) shape[dim.axis()];
        base.put(dim, positions.add(n));
        sizes.put(dim, n);
        if (graph.isConstant(dim.value())) {
            roles.putIfAbsent(dim, Role.PARAM);
        } else {
            roles.put(dim, Role.ACTIVATION);
        }
        worklist.add(dim);
        return true;
    }

    private void blockDim(Dim dim, String reason) {
        List<String> reasons = blocked.computeIfAbsent(dim, k -> new ArrayList<>());
        if (!reasons.contains(reason)) {
            reasons.add(reason);
        }
    }

    /** Tracks both axes (or blocks the one already tracked when the other has no static size). */
    private boolean ensure(Dim a, Dim b) {
        boolean ta = track(a);
        boolean tb = track(b);
        if (ta && tb) {
            return true;
        }
        Dim known = ta ? a : b;
        Dim unknown = ta ? b : a;
        if (ta || tb) {
            blockDim(known, "coupled with " + unknown + ", whose size is not static");
        }
        return false;
    }

    private void join(Dim a, int pa, Dim b, int pb) {
        if (pa >= sizes.get(a) || pb >= sizes.get(b)) {
            throw new SpaException("coupling " + a + " position " + pa + " with " + b + " position " + pb + " is out of range");
        }
        positions.union(base.get(a) + pa, base.get(b) + pb);
    }

    private final class Links implements Coupling {
        @Override
        public Graph graph() {
            return graph;
        }

        @Override
        public Shapes shapes() {
            return shapes;
        }

        @Override
        public boolean tracked(Dim dim) {
            return base.containsKey(dim);
        }

        @Override
        public void identity(Dim a, Dim b) {
            offset(a, b, 0);
        }

        @Override
        public void offset(Dim a, Dim b, int offset) {
            if (!ensure(a, b)) {
                return;
            }
            for (int i = 0; i < sizes.get(a); i++) {
                join(a, i, b, offset + i);
            }
        }

        @Override
        public void blocks(Dim a, Dim b, int blockSize) {
            if (!ensure(a, b)) {
                return;
            }
            if (sizes.get(a) * blockSize != sizes.get(b)) {
                throw new SpaException(a + " (" + sizes.get(a) + ") in blocks of " + blockSize + " does not cover " + b + " (" + sizes.get(b) + ")");
            }
            for (int i = 0; i < sizes.get(a); i++) {
                for (int j = 0; j < blockSize; j++) {
                    join(a, i, b, i * blockSize + j);
                }
            }
        }

        @Override
        public void strided(Dim a, Dim b, int count) {
            if (!ensure(a, b)) {
                return;
            }
            int n = sizes.get(a);
            if (n * count != sizes.get(b)) {
                throw new SpaException(a + " (" + n + ") repeated " + count + " times does not cover " + b + " (" + sizes.get(b) + ")");
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < count; k++) {
                    join(a, i, b, i + k * n);
                }
            }
        }

        @Override
        public void chunks(Dim a, Dim b, int chunkCount) {
            if (!ensure(a, b)) {
                return;
            }
            int na = sizes.get(a) / chunkCount;
            int nb = sizes.get(b) / chunkCount;
            for (int k = 0; k < chunkCount; k++) {
                for (int i = 0; i < na; i++) {
                    join(a, k * na, a, k * na + i);
                }
                for (int j = 0; j < nb; j++) {
                    join(a, k * na, b, k * nb + j);
                }
            }
        }

        @Override
        public void role(Dim constant, Role role) {
            if (track(constant)) {
                roles.put(constant, role);
            }
        }

        @Override
        public void block(Dim dim, String reason) {
            blockDim(dim, reason);
        }

        @Override
        public void mixing(Dim dim, String reason) {
            List<String> reasons = mixing.computeIfAbsent(dim, k -> new ArrayList<>());
            if (!reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
    }

    private List<Group> buildGroups() {
        // root position -> (dim -> positions of that dim in the class)
        Map<Integer, Map<Dim, List<Integer>>> classes = new TreeMap<>();
        for (Map.Entry<Dim, Integer> e : base.entrySet()) {
            Dim dim = e.getKey();
            for (int p = 0; p < sizes.get(dim); p++) {
                int root = positions.find(e.getValue() + p);
                classes.computeIfAbsent(root, k -> new LinkedHashMap<>()).computeIfAbsent(dim, k -> new ArrayList<>()).add(p);
            }
        }
        Map<String, List<Map<Dim, List<Integer>>>> bySignature = new LinkedHashMap<>();
        for (Map<Dim, List<Integer>> cls : classes.values()) {
            StringBuilder sig = new StringBuilder();
            cls.keySet().stream().sorted(Comparator.comparing(Dim::toString))
                    .forEach(d -> sig.append(d).append('#').append(cls.get(d).size()).append(';'));
            bySignature.computeIfAbsent(sig.toString(), k -> new ArrayList<>()).add(cls);
        }
        List<Group> groups = new ArrayList<>();
        for (List<Map<Dim, List<Integer>>> channelList : bySignature.values()) {
            Group g = toGroup(groups.size(), channelList);
            if (g != null) {
                groups.add(g);
            }
        }
        return groups;
    }

    private Group toGroup(int id, List<Map<Dim, List<Integer>>> channelList) {
        Set<Dim> dims = channelList.get(0).keySet();
        if (dims.stream().noneMatch(d -> graph.isConstant(d.value()))) {
            return null; // no parameters on these channels: nothing to prune
        }
        List<Member> members = new ArrayList<>();
        Set<String> blockedReasons = new LinkedHashSet<>();
        Set<String> mixingReasons = new LinkedHashSet<>();
        for (Dim d : dims) {
            int[][] pos = new int[channelList.size()][];
            for (int c = 0; c < pos.length; c++) {
                pos[c] = channelList.get(c).get(d).stream().mapToInt(Integer::intValue).toArray();
            }
            members.add(new Member(d, roles.get(d), graph.isConstant(d.value()), sizes.get(d), pos));
            blockedReasons.addAll(blocked.getOrDefault(d, List.of()));
            mixingReasons.addAll(mixing.getOrDefault(d, List.of()));
        }
        members.sort(Comparator.comparing((Member m) -> m.role().ordinal()).thenComparing(m -> m.dim().toString()));
        if (channelList.size() == 1 && blockedReasons.isEmpty()) {
            Member first = members.get(0);
            int tied = first.positions()[0].length;
            String where = "axis " + first.dim().axis() + " of '" + first.dim().value() + "'";
            blockedReasons.add(tied == 1 ? "a single channel (" + where + "): cutting it would empty the layer"
                    : "its " + tied + " positions on " + where + " are tied into one unit (reshapes such as repeated channel"
                    + " shuffles tie them), which cannot be cut without emptying it");
        }
        return new Group(id, channelList.size(), members, new ArrayList<>(blockedReasons), new ArrayList<>(mixingReasons));
    }
}
