package dev.spa.bench.text;

import dev.spa.testing.MiniLmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's WordPiece tokenizer on MiniLM's own vocabulary (the test dependency's tokenizer.json). */
class WordPieceTokenizerTest {
    @TempDir
    Path tmp;

    private WordPieceTokenizer tokenizer() throws Exception {
        return WordPieceTokenizer.read(MiniLmFiles.tokenizer(tmp));
    }

    @Test
    void encodesAsBertUncasedDoes() throws Exception {
        WordPieceTokenizer t = tokenizer();
        // bert-base-uncased ids: [CLS] hello , world ! [SEP]
        assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, t.encode("Hello, world!", 64));
        // lower case, accents stripped, an apostrophe its own word: the phone ' s
        assertArrayEquals(t.encode("the phone's", 64), t.encode("THE Phóne's", 64));
        assertEquals(List.of("the", "phone", "'", "s"), WordPieceTokenizer.words(WordPieceTokenizer.normalise("The Phóne's")));
        // a word the vocabulary lacks whole comes out as pieces with ## continuations, not [UNK]
        int[] pieces = t.encode("unbelievably", 64);
        assertEquals(true, pieces.length > 3 && Arrays.stream(pieces).noneMatch(id -> id == 100));
        // cut to the length asked, still ending in [SEP]
        int[] cut = t.encode("a b c d e f g h", 5);
        assertArrayEquals(new int[] {101, cut[1], cut[2], cut[3], 102}, cut);
    }
}
