package dev.spa.bench.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Labelled sentences, one per line as {@code sentence<TAB>label} (the UCI sentiment files in ../shared/data/sentiment). */
public record Sentences(List<String> texts, int[] labels) {
    public static Sentences read(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int tab = line.lastIndexOf('\t');
            if (tab < 0 || line.isBlank()) {
                continue;
            }
            texts.add(line.substring(0, tab).trim());
            labels.add(Integer.parseInt(line.substring(tab + 1).trim()));
        }
        return new Sentences(texts, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The sentences as a BERT's inputs laid out sample after sample: {@code length} token ids (padded with 0), the
     * attention mask, the token type ids (all 0).
     */
    public float[] tokens(WordPieceTokenizer tokenizer, int length) {
        float[] out = new float[texts.size() * 3 * length];
        for (int s = 0; s < texts.size(); s++) {
            int[] ids = tokenizer.encode(texts.get(s), length);
            int base = s * 3 * length;
            for (int i = 0; i < ids.length; i++) {
                out[base + i] = ids[i];
                out[base + length + i] = 1;
            }
        }
        return out;
    }
}
