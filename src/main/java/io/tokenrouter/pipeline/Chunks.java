package io.tokenrouter.pipeline;

import java.util.List;

/**
 * A request cut into the pieces a provider's prompt cache sees, in the order it reads them:
 * tools, system, then the conversation turn by turn. Each piece is stable (the next request of
 * the same conversation will very likely repeat it byte for byte) or volatile.
 */
public record Chunks(List<Chunk> chunks) {
  public Chunks {
    chunks = List.copyOf(chunks);
  }

  public enum Kind {
    /** Every tool definition. */
    TOOLS,
    /** The top-level system, and the instruction messages the conversation starts with. */
    SYSTEM,
    /** A finished exchange of the history: messages up to and including an assistant turn. */
    TURN,
    /** What came after the last assistant turn: the message the model is asked to answer. */
    NEWEST
  }

  /**
   * One piece.
   *
   * @param from the first message it covers (for SYSTEM, TURN and NEWEST)
   * @param to one past the last message it covers; {@code from == to} for TOOLS and a SYSTEM of
   *     top-level instructions only
   */
  public record Chunk(Kind kind, int from, int to, boolean stable) {}

  /** The newest turn, or null when the conversation ends with a finished exchange. */
  public Chunk newest() {
    Chunk last = chunks.isEmpty() ? null : chunks.getLast();
    return last != null && last.kind() == Kind.NEWEST ? last : null;
  }

  /** The last finished exchange, or null. */
  public Chunk lastTurn() {
    for (int i = chunks.size() - 1; i >= 0; i--) {
      if (chunks.get(i).kind() == Kind.TURN) {
        return chunks.get(i);
      }
    }
    return null;
  }

  /** How many leading messages belong to the system chunk (instructions the conversation starts with). */
  public int leadingInstructions() {
    for (Chunk c : chunks) {
      if (c.kind() == Kind.SYSTEM) {
        return c.to();
      }
    }
    return 0;
  }

  /** One past the last message of the stable prefix: the messages every chunk up to there is stable for. */
  public int stableMessages() {
    int end = 0;
    for (Chunk c : chunks) {
      if (!c.stable()) {
        break;
      }
      end = c.to();
    }
    return end;
  }
}
