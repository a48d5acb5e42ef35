package dev.spa.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * How a vision model wants its photos (SOURCES.md): size, channel order and scaling. Photos are
 * resized nearest-neighbour, stretched to the input as both detectors' reference code does.
 */
record PhotoFormat(int height, int width, boolean bgr, float offset, float scale) {
    /** The photos as one NCHW float32 batch; with {@code mirrored}, each photo's left-right mirror follows it. */
    float[] read(List<Path> files, boolean mirrored) throws IOException {
        int copies = mirrored ? 2 : 1;
        int plane = height * width;
        float[] x = new float[files.size() * copies * 3 * plane];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            if (img == null) {
                throw new IOException("not an image ImageIO can read: " + files.get(i));
            }
            for (int copy = 0; copy < copies; copy++) {
                int sample = i * copies + copy;
                for (int y = 0; y < height; y++) {
                    for (int c = 0; c < width; c++) {
                        int column = copy == 0 ? c : width - 1 - c;
                        int rgb = img.getRGB(column * img.getWidth() / width, y * img.getHeight() / height);
                        int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                        for (int ch = 0; ch < 3; ch++) {
                            x[(sample * 3 + ch) * plane + y * width + c] = (channels[bgr ? 2 - ch : ch] - offset) / scale;
                        }
                    }
                }
            }
        }
        return x;
    }
}
