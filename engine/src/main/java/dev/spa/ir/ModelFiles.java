package dev.spa.ir;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.spa.SpaException;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A model on disk: its .onnx file and the data files its tensors name (ONNX external data), which travel with it. */
public record ModelFiles(Path model, List<Path> data) {
    /** The model at {@code file} and the data files it names, resolved beside it. */
    public static ModelFiles of(Path file) {
        return of(file, file.toString());
    }

    /** As {@link #of(Path)}, naming the model {@code what} (where it came from) in what it refuses. */
    public static ModelFiles of(Path file, String what) {
        Set<String> locations;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            locations = scanModel(CodedInputStream.newInstance(in));
        } catch (InvalidProtocolBufferException e) {
            throw new SpaException("model '" + what + "' is not a valid ONNX protobuf (truncated or corrupt): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SpaException("cannot read model file '" + file + "': " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return new ModelFiles(file, locations.stream().map(location -> folder.resolve(location).normalize()).toList());
    }

    /*
     * The locations are found by reading the file's fields one by one and skipping tensors' bytes, never parsing the model
     * whole: protobuf copies a buffer it cannot alias, and looking into ViT-L/16's 1.2 GB that way ran a prune that had
     * just finished out of an 8 GB heap.
     */
    private static Set<String> scanModel(CodedInputStream in) throws IOException {
        in.setSizeLimit(Integer.MAX_VALUE);
        Set<String> out = new LinkedHashSet<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isMessage(tag, ModelProto.GRAPH_FIELD_NUMBER)) {
                int limit = in.pushLimit(in.readRawVarint32());
                scanGraph(in, out);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return out;
    }

    private static void scanGraph(CodedInputStream in, Set<String> out) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (isMessage(tag, GraphProto.INITIALIZER_FIELD_NUMBER)) {
                int limit = in.pushLimit(in.readRawVarint32());
                ExternalDataResolver.addLocation(scanTensor(in), out);
                in.popLimit(limit);
            } else if (isMessage(tag, GraphProto.NODE_FIELD_NUMBER)) {
                NodeProto node = NodeProto.parseFrom(in.readBytes());
                ExternalDataResolver.addLocations(node, out);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** A tensor's name and where its data lies, its data skipped. */
    private static TensorProto scanTensor(CodedInputStream in) throws IOException {
        TensorProto.Builder t = TensorProto.newBuilder();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TensorProto.NAME_FIELD_NUMBER -> t.setName(in.readString());
                case TensorProto.DATA_LOCATION_FIELD_NUMBER -> {
                    TensorProto.DataLocation location = TensorProto.DataLocation.forNumber(in.readEnum());
                    if (location != null) {
                        t.setDataLocation(location);
                    }
                }
                case TensorProto.EXTERNAL_DATA_FIELD_NUMBER -> t.addExternalData(StringStringEntryProto.parseFrom(in.readBytes()));
                default -> in.skipField(tag);
            }
        }
        return t.build();
    }

    private static boolean isMessage(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** Where a data file lies relative to the .onnx, with '/' between folders: as the model names it and as object keys have it. */
    public String location(Path dataFile) {
        return model.toAbsolutePath().getParent().relativize(dataFile).toString().replace(File.separatorChar, '/');
    }

    public boolean hasExternalData() {
        return !data.isEmpty();
    }

    /** The .onnx file and its data files together. */
    public long bytes() {
        try {
            long sum = Files.size(model);
            for (Path p : data) {
                sum += Files.size(p);
            }
            return sum;
        } catch (IOException e) {
            throw new SpaException("cannot read the size of model '" + model + "': " + e.getMessage(), e);
        }
    }
}
