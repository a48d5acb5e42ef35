package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders nodes so each comes after the producers of its inputs; names a cycle or an undefined input. */
final class TopologicalOrder {
    private TopologicalOrder() {
    }

    static List<Node> sort(List<Node> nodes, List<ValueInfoProto> inputs, Set<String> constants) {
        Set<String> available = new HashSet<>(constants);
        for (ValueInfoProto v : inputs) {
            available.add(v.getName());
        }
        Map<String, Node> producer = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producer.put(o, n) != null || available.contains(o)) {
                    throw new SpaException("value '" + o + "' is defined more than once");
                }
            }
        }
        Map<Node, Integer> missing = new HashMap<>();
        Map<String, List<Node>> waiting = new HashMap<>();
        Deque<Node> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            int count = 0;
            for (String in : new HashSet<>(n.inputs())) {
                if (in.isEmpty() || available.contains(in)) {
                    continue;
                }
                if (!producer.containsKey(in)) {
                    throw new SpaException(n + " reads '" + in + "', which is neither a graph input, an initializer nor a node output (missing initializer?)");
                }
                count++;
                waiting.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
            missing.put(n, count);
            if (count == 0) {
                ready.add(n);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (String o : n.outputs()) {
                for (Node w : waiting.getOrDefault(o, List.of())) {
                    if (missing.merge(w, -1, Integer::sum) == 0) {
                        ready.add(w);
                    }
                }
            }
        }
        if (order.size() < nodes.size()) {
            Node stuck = nodes.stream().filter(n -> missing.get(n) > 0).findFirst().orElseThrow();
            throw new SpaException("the graph has a cycle through " + stuck + " (" + (nodes.size() - order.size())
                    + " nodes never become ready)");
        }
        return order;
    }
}
