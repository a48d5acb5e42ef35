package dev.spa.ir;

import com.google.protobuf.CodedOutputStream;
import dev.spa.Sha256;
import dev.spa.SpaException;
import dev.spa.onnx.Onnx;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.TypeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** A loaded model: its graph plus the header fields (IR version, opsets, metadata) written back unchanged. */
public final class Model {
    /** Protobuf refuses messages of 2 GiB; the graph, names and attributes need room beside the tensors. */
    public static final long MAX_INLINE_BYTES = 2L * 1024 * 1024 * 1024 - 64L * 1024 * 1024;
    private final ModelProto header;
    private final String graphName;
    private final Graph graph;

    public Model(ModelProto header, String graphName, Graph graph) {
        this.header = header;
        this.graphName = graphName;
        this.graph = graph;
    }

    public Graph graph() {
        return graph;
    }

    public ModelProto header() {
        return header;
    }

    /**
     * A copy to edit: the surgery never changes the model it was given. Nodes are copied; tensors
     * are immutable, so the copy shares them until the surgery replaces one (no second copy of the weights).
     */
    public Model copy() {
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            nodes.add(Node.fromProto(n.toProto(), nodes.size()));
        }
        return new Model(header, graphName, new Graph(nodes, graph.constants(), graph.inputs(), graph.outputs(), graph.opset()));
    }

    public ModelProto toProto() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graphName);
        for (Node n : graph.nodes()) {
            NodeProto p = n.toProto();
            g.addNode(p);
        }
        for (Tensor t : graph.constants().values()) {
            g.addInitializer(t.toProto());
        }
        for (ValueInfoProto v : graph.inputs()) {
            g.addInput(v);
        }
        if (header.getIrVersion() < 4) {
            // before IR 4 every initializer must also be declared as a graph input
            for (Tensor t : graph.constants().values()) {
                g.addInput(inputDeclaration(t));
            }
        }
        for (ValueInfoProto v : graph.outputs()) {
            g.addOutput(v);
        }
        return header.toBuilder().setGraph(g).build();
    }

    private static ValueInfoProto inputDeclaration(Tensor t) {
        return declaration(t.name(), t.dataType(), t.dims());
    }

    /** A graph input or output of a fixed shape: its name, element type ({@link DataType}) and every dimension. */
    public static ValueInfoProto declaration(String name, int dataType, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder().setElemType(dataType).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }

    /** The serialised model; over {@link #MAX_INLINE_BYTES} of tensors there is none (write it to a file instead). */
    public byte[] toBytes() {
        requireInline();
        return toProto().toByteArray();
    }

    /**
     * The serialised model in a direct buffer, outside the heap: handing a model to ONNX Runtime this way needs no
     * second copy of its tensors in the heap beside the model itself (a 24 MB chain of Convs checked after OBSPA ran a
     * 140 MB heap out of memory on that copy). Over {@link #MAX_INLINE_BYTES} there is none, as for {@link #toBytes}.
     */
    public ByteBuffer toDirectBuffer() {
        requireInline();
        ModelProto proto = toProto();
        ByteBuffer buffer = ByteBuffer.allocateDirect(proto.getSerializedSize());
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buffer);
            proto.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("serialising the model into a buffer", e);
        }
        return buffer.flip();
    }

    private void requireInline() {
        long bytes = tensorBytes();
        if (bytes > MAX_INLINE_BYTES) {
            throw new SpaException("the model holds " + bytes + " bytes of tensors, more than one ONNX protobuf may (2 GiB):"
                    + " it can only be written with external data");
        }
    }

    /**
     * SHA-256 of the model's content: its serialised form with every tensor's bytes in place, fed to the digest one
     * tensor at a time, so it is defined over 2 GiB too and never needs a serialised copy. The same model gives the
     * same digest however its file was stored (one piece or external data).
     */
    public String sha256() {
        MessageDigest digest = Sha256.digest();
        ModelProto proto = toProto();
        GraphProto.Builder structure = proto.getGraph().toBuilder().clearInitializer();
        for (Onnx.TensorProto t : proto.getGraph().getInitializerList()) {
            structure.addInitializer(t.toBuilder().clearRawData());
            t.getRawData().asReadOnlyByteBufferList().forEach(digest::update);
        }
        return Sha256.hex(digest, proto.toBuilder().setGraph(structure).build().toByteArray());
    }

    /** Bytes in all tensors together: what decides whether the model fits in one protobuf. */
    public long tensorBytes() {
        long sum = 0;
        for (Tensor t : graph.constants().values()) {
            sum += t.byteSize();
        }
        return sum;
    }

    /** Writes one .onnx file, or with external data ({@link ExternalDataWriter}) when the tensors do not fit in one protobuf. */
    public void write(Path file) throws IOException {
        write(file, tensorBytes() > MAX_INLINE_BYTES);
    }

    /** Writes {@code file}, and with {@code externalData} its tensors in {@code file.data} beside it. */
    public void write(Path file, boolean externalData) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (externalData) {
            ExternalDataWriter.write(this, file);
            return;
        }
        Files.deleteIfExists(ExternalDataWriter.dataFile(file)); // a stale data file from an earlier write would mislead
        try (OutputStream out = Files.newOutputStream(file)) {
            toProto().writeTo(out);
        }
    }
}
