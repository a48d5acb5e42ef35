package dev.spa.runtime;

import java.util.Arrays;

/**
 * Synthetic values for an integer input, a language model's with no text at hand: the input that indexes the
 * largest embedding table (the vocabulary) gets token ids drawn uniformly from it; an input that indexes a smaller
 * table (token type, segment) gets 0, the first row, as one-segment text does; any other (an attention mask) gets
 * 1, attending everywhere.
 */
final class TokenDraw {
    private TokenDraw() {
    }

    static String describe(InputLayout.Segment segment, InputLayout layout) {
        long vocabulary = layout.segments().stream().mapToLong(InputLayout.Segment::indexRange).max().orElse(0);
        return segment.name() + ": " + (segment.indexRange() > 0 && segment.indexRange() == vocabulary
                ? "token ids drawn uniformly from " + vocabulary : segment.indexRange() > 0 ? "0" : "1");
    }

    static SampleBatches.SampleDraw of(InputLayout.Segment segment, long vocabulary) {
        int size = segment.size();
        if (segment.indexRange() > 0 && segment.indexRange() == vocabulary) {
            return (random, into, offset) -> {
                for (int i = 0; i < size; i++) {
                    into[offset + i] = random.nextLong(vocabulary);
                }
            };
        }
        float constant = segment.indexRange() > 0 ? 0 : 1;
        return (random, into, offset) -> Arrays.fill(into, offset, offset + size, constant);
    }
}
