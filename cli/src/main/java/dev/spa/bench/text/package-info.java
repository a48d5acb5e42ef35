/**
 * The MiniLM benchmark's text side: a WordPiece tokenizer, the labelled sentences and mean-pooled embeddings.
 * <p>Imports the engine's ir and runtime only.
 */
package dev.spa.bench.text;
