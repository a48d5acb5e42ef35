package dev.spa.ir;

import com.google.protobuf.CodedInputStream;
import dev.spa.SpaException;
import dev.spa.onnx.Onnx.ModelProto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A model on disk: its .onnx file and the data files its tensors name (ONNX external data), which travel with it. */
public record ModelFiles(Path model, List<Path> data) {
    /** The model at {@code file} and the data files it names, resolved beside it. */
    public static ModelFiles of(Path file) {
        return of(file, file.toString());
    }

    /** As {@link #of(Path)}, naming the model {@code what} (where it came from) in what it refuses. */
    public static ModelFiles of(Path file, String what) {
        ModelProto proto;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // parsed from the mapped file with aliasing: a large model's tensors are not copied into the heap to be looked at
            CodedInputStream coded = CodedInputStream.newInstance(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
            coded.enableAliasing(true);
            coded.setSizeLimit(Integer.MAX_VALUE);
            proto = ModelProto.parseFrom(coded);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new SpaException("model '" + what + "' is not a valid ONNX protobuf (truncated or corrupt): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SpaException("cannot read model file '" + file + "': " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return new ModelFiles(file, ExternalDataResolver.locations(proto).stream().map(location -> folder.resolve(location).normalize()).toList());
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
