package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.onnx.Onnx.AttributeProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads tensors stored outside the model file. A location may only name a file inside the model's
 * own folder: absolute paths, '..' components and symlinks that lead out are refused, so a model
 * from an untrusted registry cannot make the engine read arbitrary files.
 */
public final class ExternalDataResolver {
    private final Path folder;

    /** @param folder the model's folder; null when the model came from bytes with no folder */
    public ExternalDataResolver(Path folder) {
        this.folder = folder;
    }

    /** The files a Constant node's tensor names; other nodes name none. */
    static void addLocations(NodeProto n, Set<String> out) {
        if (n.getOpType().equals("Constant")) {
            n.getAttributeList().stream().filter(AttributeProto::hasT).forEach(a -> addLocation(a.getT(), out));
        }
    }

    /** The file a tensor names, checked as {@link #read} checks it (relative, no '..'), when its data lies outside. */
    static void addLocation(TensorProto t, Set<String> out) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            return;
        }
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals("location")) {
                checkRelative(t.getName(), e.getValue());
                out.add(e.getValue());
            }
        }
    }

    public byte[] read(TensorProto tensor) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : tensor.getExternalDataList()) {
            switch (e.getKey()) {
                case "location": location = e.getValue(); break;
                case "offset": offset = parse(tensor, e); break;
                case "length": length = parse(tensor, e); break;
                default: break;
            }
        }
        String name = tensor.getName();
        if (location == null || location.isEmpty()) {
            throw new SpaException("external tensor '" + name + "' has no location");
        }
        if (folder == null) {
            throw new SpaException("external tensor '" + name + "' refers to '" + location
                    + "' but the model was given without its folder");
        }
        Path file = resolveInside(name, location);
        if (!Files.isRegularFile(file)) {
            // a FIFO or a device would block or never end: only plain files are opened
            throw new SpaException("external tensor '" + name + "': '" + location + "' is not a regular file");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (offset < 0 || offset > raf.length()) {
                throw new SpaException("external tensor '" + name + "': offset " + offset + " lies outside '" + location + "' ("
                        + raf.length() + " bytes)");
            }
            long available = raf.length() - offset;
            if (length < 0) {
                length = available;
            }
            if (length > available) {
                throw new SpaException("external tensor '" + name + "': '" + location + "' holds " + raf.length()
                        + " bytes, offset " + offset + " + length " + length + " runs past its end");
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new SpaException("external tensor '" + name + "' is larger than 2 GiB");
            }
            byte[] data = new byte[(int) length];
            raf.seek(offset);
            raf.readFully(data);
            return data;
        } catch (IOException e) {
            throw new SpaException("external tensor '" + name + "': cannot read '" + location + "': " + e.getMessage(), e);
        }
    }

    private static Path checkRelative(String tensor, String location) {
        if (location.isEmpty()) {
            throw new SpaException("external tensor '" + tensor + "' has no location");
        }
        Path rel;
        try {
            rel = Path.of(location);
        } catch (InvalidPathException e) {
            throw new SpaException("external tensor '" + tensor + "' names '" + location + "', which is not a file name");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new SpaException("external tensor '" + tensor + "' uses absolute path '" + location
                    + "'; only paths inside the model's folder are allowed");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new SpaException("external tensor '" + tensor + "' path '" + location
                        + "' leaves the model's folder through '..'");
            }
        }
        return rel;
    }

    private Path resolveInside(String tensor, String location) {
        Path file = folder.resolve(checkRelative(tensor, location));
        if (!Files.exists(file)) {
            throw new SpaException("external tensor '" + tensor + "': file '" + location + "' not found beside the model");
        }
        try {
            Path realFolder = folder.toRealPath();
            Path real = file.toRealPath();
            if (!real.startsWith(realFolder)) {
                throw new SpaException("external tensor '" + tensor + "' path '" + location
                        + "' is a link that leaves the model's folder");
            }
            return real;
        } catch (IOException e) {
            throw new SpaException("external tensor '" + tensor + "': cannot resolve '" + location + "': " + e.getMessage(), e);
        }
    }

    private static long parse(TensorProto t, StringStringEntryProto e) {
        try {
            return Long.parseLong(e.getValue());
        } catch (NumberFormatException ex) {
            throw new SpaException("external tensor '" + t.getName() + "' has a non-numeric " + e.getKey() + " '" + e.getValue() + "'");
        }
    }
}
