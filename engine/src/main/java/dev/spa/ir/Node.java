package dev.spa.ir;

import dev.spa.onnx.Onnx.AttributeProto;
import dev.spa.onnx.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mutable graph node: the surgery edits attributes and inputs in place. */
public final class Node {
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, AttributeProto> attributes;

    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, AttributeProto> attributes) {
        this.name = name;
        this.opType = opType;
        this.domain = domain == null ? "" : domain;
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.attributes = new LinkedHashMap<>(attributes);
    }

    public static Node fromProto(NodeProto p, int index) {
        Map<String, AttributeProto> attrs = new LinkedHashMap<>();
        for (AttributeProto a : p.getAttributeList()) {
            attrs.put(a.getName(), a);
        }
        String name = p.getName().isEmpty() ? p.getOpType() + "_" + index : p.getName();
        return new Node(name, p.getOpType(), p.getDomain(), p.getInputList(), p.getOutputList(), attrs);
    }

    public NodeProto toProto() {
        NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(opType).addAllInput(inputs).addAllOutput(outputs);
        if (!domain.isEmpty()) {
            b.setDomain(domain);
        }
        b.addAllAttribute(attributes.values());
        return b.build();
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    public String domain() {
        return domain;
    }

    /** Inputs in order; an optional input left out is the empty string, as in ONNX. */
    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public String output(int i) {
        return outputs.get(i);
    }

    public boolean hasInput(int i) {
        return i < inputs.size() && !inputs.get(i).isEmpty();
    }

    public boolean hasAttribute(String key) {
        return attributes.containsKey(key);
    }

    public AttributeProto attribute(String key) {
        return attributes.get(key);
    }

    public long attrInt(String key, long fallback) {
        AttributeProto a = attributes.get(key);
        return a == null ? fallback : a.getI();
    }

    public float attrFloat(String key, float fallback) {
        AttributeProto a = attributes.get(key);
        return a == null ? fallback : a.getF();
    }

    public String attrString(String key, String fallback) {
        AttributeProto a = attributes.get(key);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** The ints of an INTS attribute, or null when absent. */
    public long[] attrInts(String key) {
        AttributeProto a = attributes.get(key);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public void setAttrInt(String key, long value) {
        attributes.put(key, AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INT).setI(value).build());
    }

    public void setAttrInts(String key, long[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(key).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        attributes.put(key, b.build());
    }

    /** Sets input i, first padding with empty (omitted) inputs when the node has fewer. */
    public void setInput(int i, String value) {
        while (inputs.size() <= i) {
            inputs.add("");
        }
        inputs.set(i, value);
    }

    public void removeAttribute(String key) {
        attributes.remove(key);
    }

    @Override
    public String toString() {
        return opType + " '" + name + "'";
    }
}
