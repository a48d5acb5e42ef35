package dev.spa.ir;

import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a model the way ONNX stores one over 2 GiB (protobuf's limit for one message): the graph in
 * {@code model.onnx}, and every tensor of at least {@link #MIN_EXTERNAL_BYTES} in {@code model.onnx.data}
 * beside it, each named by location, offset and length (ONNX's external-data fields, which ONNX Runtime and
 * {@link ExternalDataResolver} read). Tensors start at multiples of {@link #ALIGNMENT} bytes, so a runtime may
 * map them from the file.
 */
public final class ExternalDataWriter {
    /** Small tensors (shapes, scalars) stay in the graph, as onnx.save_model leaves them. */
    public static final int MIN_EXTERNAL_BYTES = 1024;
    static final int ALIGNMENT = 4096;

    private ExternalDataWriter() {
    }

    /** The data file's name beside {@code file}: {@code <file name>.data}. */
    public static Path dataFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".data");
    }

    public static void write(Model model, Path file) throws IOException {
        Path data = dataFile(file);
        String location = data.getFileName().toString();
        ModelProto inline = model.toProto();
        GraphProto.Builder graph = inline.getGraph().toBuilder().clearInitializer();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
            long offset = 0;
            for (TensorProto t : inline.getGraph().getInitializerList()) {
                int length = t.getRawData().size();
                if (length < MIN_EXTERNAL_BYTES) {
                    graph.addInitializer(t);
                    continue;
                }
                long padding = (ALIGNMENT - offset % ALIGNMENT) % ALIGNMENT;
                out.write(new byte[(int) padding]);
                offset += padding;
                t.getRawData().writeTo(out);
                graph.addInitializer(t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location))
                        .addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Integer.toString(length))));
                offset += length;
            }
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            inline.toBuilder().setGraph(graph).build().writeTo(out);
        }
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
