package dev.spa.ir;

import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ONNX format requires of a graph, checked on the protobuf before any tensor is converted:
 * unique initializer and node names, nodes with outputs, graph inputs with sane declared shapes, and
 * the ranges of the sliding-window operators' attributes. Each failure names the node or value.
 */
final class StructureCheck {
    private static final Set<String> WINDOWED = Set.of("Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool");
    private static final int FLOAT_BYTES = 4;

    private StructureCheck() {
    }

    static void check(GraphProto g) {
        Map<String, long[]> initializers = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (initializers.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray()) != null) {
                throw new InvalidModelException("initializer '" + t.getName() + "' is defined twice");
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            checkInputShape(v);
        }
        Set<String> names = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            String label = n.getOpType() + " '" + n.getName() + "'";
            if (!n.getName().isEmpty() && !names.add(n.getName())) {
                throw new InvalidModelException("node name '" + n.getName() + "' is used by more than one node");
            }
            if (n.getOutputCount() == 0) {
                throw new InvalidModelException(label + " has no outputs");
            }
            if (WINDOWED.contains(n.getOpType()) && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))) {
                checkWindow(label, n, n.getInputCount() > 1 ? initializers.get(n.getInput(1)) : null);
            }
        }
    }

    private static void checkInputShape(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        long[] known = dims.stream().filter(TensorShapeProto.Dimension::hasDimValue).mapToLong(TensorShapeProto.Dimension::getDimValue)
                .toArray();
        Sizes.bytes("graph input '" + v.getName() + "'", known, FLOAT_BYTES);
    }

    private static void checkWindow(String label, NodeProto n, long[] weight) {
        Node node = Node.fromProto(n, 0);
        atLeast(label, node, "strides", 1);
        atLeast(label, node, "dilations", 1);
        atLeast(label, node, "pads", 0);
        atLeast(label, node, "kernel_shape", 1);
        boolean conv = n.getOpType().startsWith("Conv");
        long group = node.attrInt("group", 1);
        if (conv && (group < 1 || group > Integer.MAX_VALUE)) {
            throw new InvalidModelException(label + " has group " + group + "; it must be at least 1");
        }
        if (!conv || weight == null) {
            return;
        }
        if (weight.length < 3) {
            throw new InvalidModelException(label + " has a weight of rank " + weight.length + "; a convolution's weight has rank 3 or more");
        }
        if (weight[0] % group != 0) {
            throw new InvalidModelException(label + ": its weight's first axis (" + weight[0] + ") does not divide into " + group + " groups");
        }
        if (node.hasAttribute("kernel_shape")) {
            long[] kernel = node.attrInts("kernel_shape");
            long[] spatial = Arrays.copyOfRange(weight, 2, weight.length);
            if (!Arrays.equals(kernel, spatial)) {
                throw new InvalidModelException(label + " declares kernel_shape " + Arrays.toString(kernel) + " but its weight's kernel is "
                        + Arrays.toString(spatial));
            }
        }
    }

    private static void atLeast(String label, Node node, String attribute, long min) {
        if (!node.hasAttribute(attribute)) {
            return;
        }
        for (long v : node.attrInts(attribute)) {
            if (v < min) {
                throw new InvalidModelException(label + " has " + attribute + " " + Arrays.toString(node.attrInts(attribute))
                        + "; each must be at least " + min);
            }
        }
    }
}
