package dev.spa.bench.text;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT's uncased WordPiece tokenizer as a Hugging Face {@code tokenizer.json} describes it (BertNormalizer with
 * lower case, BertPreTokenizer, WordPiece with "##" continuations, [CLS] ... [SEP]): written for the benchmark so
 * that it needs no native library. Handles what English sentences need; CJK characters are split one by one as
 * BERT does.
 */
public final class WordPieceTokenizer {
    private static final int MAX_WORD_CHARS = 100;
    private final Map<String, Integer> vocab;
    private final int cls;
    private final int sep;
    private final int unk;

    private WordPieceTokenizer(Map<String, Integer> vocab) {
        this.vocab = vocab;
        this.cls = vocab.get("[CLS]");
        this.sep = vocab.get("[SEP]");
        this.unk = vocab.get("[UNK]");
    }

    public static WordPieceTokenizer read(Path tokenizerJson) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(tokenizerJson)).getAsJsonObject();
        JsonObject model = root.getAsJsonObject("model");
        if (!"WordPiece".equals(model.get("type").getAsString())) {
            throw new IOException(tokenizerJson + " is not a WordPiece tokenizer");
        }
        Map<String, Integer> vocab = new HashMap<>();
        model.getAsJsonObject("vocab").entrySet().forEach(e -> vocab.put(e.getKey(), e.getValue().getAsInt()));
        return new WordPieceTokenizer(vocab);
    }

    /** Token ids of one text: [CLS], its word pieces (cut to fit), [SEP]; at most {@code maxLength}. */
    public int[] encode(String text, int maxLength) {
        List<Integer> ids = new ArrayList<>();
        ids.add(cls);
        for (String word : words(normalise(text))) {
            ids.addAll(pieces(word));
        }
        if (ids.size() > maxLength - 1) {
            ids = new ArrayList<>(ids.subList(0, maxLength - 1));
        }
        ids.add(sep);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Control characters dropped, white space made spaces, lower case, accents stripped (NFD, marks removed). */
    static String normalise(String text) {
        StringBuilder clean = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || (Character.isISOControl(c) && !Character.isWhitespace(c))) {
                return;
            }
            if (isCjk(c)) {
                clean.append(' ').appendCodePoint(c).append(' ');
            } else {
                clean.appendCodePoint(Character.isWhitespace(c) ? ' ' : c);
            }
        });
        String lower = Normalizer.normalize(clean.toString().toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        return lower.replaceAll("\\p{Mn}", "");
    }

    /** Words split on white space, every punctuation character a word of its own. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == ' ' || isPunctuation(c)) {
                if (word.length() > 0) {
                    out.add(word.toString());
                    word.setLength(0);
                }
                if (c != ' ') {
                    out.add(new String(Character.toChars(c)));
                }
            } else {
                word.appendCodePoint(c);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    /** Greedy longest match first; a word with any piece not in the vocabulary is [UNK] as a whole. */
    List<Integer> pieces(String word) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            return List.of(unk);
        }
        List<Integer> out = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(piece);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                return List.of(unk);
            }
            out.add(found);
            start = end;
        }
        return out;
    }

    /** BERT's punctuation: ASCII symbols and Unicode punctuation classes. */
    static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
