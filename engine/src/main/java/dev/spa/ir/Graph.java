package dev.spa.ir;

import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The computation graph the engine works on: nodes in topological order, constant tensors
 * (initializers and folded Constant nodes) by name, and the graph's inputs and outputs.
 */
public final class Graph {
    private final List<Node> nodes;
    private final Map<String, Tensor> constants;
    private final List<ValueInfoProto> inputs;
    private final List<ValueInfoProto> outputs;
    private final int opset;
    private Map<String, Node> producers;
    private Map<String, List<Node>> consumers;

    public Graph(List<Node> nodes, Map<String, Tensor> constants, List<ValueInfoProto> inputs,
                 List<ValueInfoProto> outputs, int opset) {
        this.nodes = new ArrayList<>(nodes);
        this.constants = new LinkedHashMap<>(constants);
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.opset = opset;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Map<String, Tensor> constants() {
        return Collections.unmodifiableMap(constants);
    }

    public List<ValueInfoProto> inputs() {
        return inputs;
    }

    public List<ValueInfoProto> outputs() {
        return outputs;
    }

    public int opset() {
        return opset;
    }

    public boolean isConstant(String value) {
        return constants.containsKey(value);
    }

    public Tensor constant(String value) {
        return constants.get(value);
    }

    public void putConstant(Tensor t) {
        constants.put(t.name(), t);
    }

    public boolean isGraphInput(String value) {
        return inputs.stream().anyMatch(v -> v.getName().equals(value));
    }

    public boolean isGraphOutput(String value) {
        return outputs.stream().anyMatch(v -> v.getName().equals(value));
    }

    public Node producer(String value) {
        index();
        return producers.get(value);
    }

    public List<Node> consumers(String value) {
        index();
        return consumers.getOrDefault(value, List.of());
    }

    private void index() {
        if (producers != null) {
            return;
        }
        producers = new HashMap<>();
        consumers = new HashMap<>();
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
                }
            }
        }
    }

    /** Call after editing node inputs so producer/consumer look-ups see the change. */
    public void invalidateIndex() {
        producers = null;
        consumers = null;
    }

    /**
     * Drops nodes whose outputs reach no graph output, and constants no node reads: what the
     * surgery leaves dead (a pruned-away branch, a replaced shape constant).
     */
    public void removeDeadCode() {
        Set<String> live = new HashSet<>();
        for (ValueInfoProto o : outputs) {
            live.add(o.getName());
        }
        List<Node> kept = new ArrayList<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                kept.add(n);
                live.addAll(n.inputs());
            }
        }
        Collections.reverse(kept);
        nodes.clear();
        nodes.addAll(kept);
        constants.keySet().retainAll(live);
        invalidateIndex();
    }

}
