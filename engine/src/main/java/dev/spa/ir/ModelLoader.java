package dev.spa.ir;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import dev.spa.SpaException;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.OperatorSetIdProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads an ONNX model with limits and checks, so a bad file gets a one-line reason rather than a
 * stack trace: size limit, protobuf validity, supported opset, every input defined, no cycles.
 * Constant nodes are folded into constants so shape constants live in one place.
 */
public final class ModelLoader {
    /** Newest ai.onnx opset the operator rules were written against. */
    public static final int MAX_OPSET = 23;
    public static final long DEFAULT_SIZE_LIMIT = 2L * 1024 * 1024 * 1024 - 1;

    private final long sizeLimit;

    public ModelLoader() {
        this(DEFAULT_SIZE_LIMIT);
    }

    public ModelLoader(long sizeLimit) {
        this.sizeLimit = sizeLimit;
    }

    public Model load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SpaException("model file '" + file + "' does not exist or is not a file");
        }
        try {
            long size = Files.size(file);
            if (size > sizeLimit) {
                throw new SpaException("model file '" + file + "' is " + size + " bytes, over the limit of " + sizeLimit);
            }
            Path folder = file.toAbsolutePath().getParent();
            return load(Files.readAllBytes(file), folder, file.getFileName().toString());
        } catch (IOException e) {
            throw new SpaException("cannot read model file '" + file + "': " + e.getMessage(), e);
        }
    }

    /** @param folder where external data lives, or null when there is none */
    public Model load(byte[] bytes, Path folder, String what) {
        if (bytes.length == 0) {
            throw new SpaException("model '" + what + "' is empty (0 bytes)");
        }
        if (bytes.length > sizeLimit) {
            throw new SpaException("model '" + what + "' is " + bytes.length + " bytes, over the limit of " + sizeLimit);
        }
        ModelProto proto;
        try {
            // aliasing (protobuf only aliases buffers it is told are immutable): tensor bytes stay
            // views of the file's bytes until each is converted once, instead of a second copy
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            proto = ModelProto.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new SpaException("model '" + what + "' is not a valid ONNX protobuf (truncated or corrupt): " + e.getMessage(), e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new SpaException("model '" + what + "' has no graph nodes: not an ONNX model");
        }
        try {
            return fromProto(proto, folder);
        } catch (SpaException e) {
            throw new SpaException("model '" + what + "': " + e.getMessage(), e);
        }
    }

    static Model fromProto(ModelProto proto, Path folder) {
        int opset = defaultOpset(proto);
        GraphProto g = proto.getGraph();
        StructureCheck.check(g);
        ExternalDataResolver external = new ExternalDataResolver(folder);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), Tensor.fromProto(t, external));
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(detached(v));
            }
        }
        List<Node> nodes = new ArrayList<>();
        int index = 0;
        for (NodeProto p : g.getNodeList()) {
            // a Constant's tensor is copied out below and the node dropped: no need to copy it twice
            boolean constantTensor = p.getOpType().equals("Constant") && p.getAttributeList().stream().anyMatch(a -> a.getName().equals("value"));
            Node n = Node.fromProto(constantTensor ? p : detached(p), index++);
            if (n.opType().equals("Constant") && n.domain().isEmpty() && n.hasAttribute("value")) {
                TensorProto value = n.attribute("value").getT();
                constants.put(n.output(0), Tensor.fromProto(value, external).renamed(n.output(0)));
            } else {
                nodes.add(n);
            }
        }
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        List<Node> ordered = ConstantFolding.fold(TopologicalOrder.sort(nodes, inputs, constants.keySet()), constants, graphOutputs, opset);
        ModelProto header = detached(proto.toBuilder().clearGraph().build());
        List<ValueInfoProto> outputs = g.getOutputList().stream().map(ModelLoader::detached).toList();
        return new Model(header, g.getName(), new Graph(ordered, constants, inputs, outputs, opset));
    }

    /**
     * A copy that shares nothing with the file's bytes. Parsed with aliasing, every bytes or lazily decoded
     * string field of a message is a view of the whole file, so one node's attribute or the header's
     * producer name would keep the model's bytes alive next to the tensors copied out of them: a second
     * copy of the model for the whole job (1.2 GB for ViT-L/16). Nodes, names and headers are small.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Message> T detached(T message) {
        try {
            return (T) message.getParserForType().parseFrom(message.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message that was just parsed does not parse again", e);
        }
    }

    private static int defaultOpset(ModelProto proto) {
        int opset = -1;
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw new SpaException("imports no ai.onnx opset");
        }
        if (opset < 7 || opset > MAX_OPSET) {
            throw new SpaException("uses ai.onnx opset " + opset + "; supported opsets are 7 to " + MAX_OPSET);
        }
        return opset;
    }

}
