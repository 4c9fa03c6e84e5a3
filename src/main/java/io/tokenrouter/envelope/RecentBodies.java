package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;

/**
 * Large request bodies read with the help of the last one of the same conversation. An agent
 * (Claude Code, Codex, Cline) resends its whole conversation every turn, a few hundred kilobytes
 * after an hour, of which only the last messages are new; parsing it was a fifth of the gateway's
 * work on such a request. Here each value the previous body had, at the same place and with the
 * same bytes, is taken over as the same tree (and so, to the readers and stages that remember
 * what they made of a node, as the same message), and only the rest is parsed.
 *
 * <p>The previous body is found by its bytes: each body is kept under a fingerprint of the
 * {@value #WINDOW} bytes before the largest power of two within its length, and a body looks for
 * its fingerprints from its own largest power of two down. The next turn of a conversation starts
 * with the previous turn's bytes, so it finds it; anything found is only a candidate, every value
 * is compared byte for byte before it is taken over, and a wrong candidate costs a parse as before.
 * Bodies are kept up to a bound on their estimated size with their trees, least recently used
 * dropped first; a conversation's next turn replaces its previous one under the same fingerprint.
 */
final class RecentBodies {
  /** Smaller bodies are parsed as they are: little to gain, and the cache stays for agents' bodies. */
  static final int MIN_BYTES = 16 * 1024;
  private static final int WINDOW = 64;
  /** A parsed tree is about twice its JSON's bytes (strings, nodes, maps): kept with the bytes, three times. */
  private static final int WEIGHT_PER_BYTE = 3;

  private final SpannedReader reader;
  private final Cache<Long, SpannedBody> recent;

  RecentBodies(SpannedReader reader, long maxWeightBytes) {
    this.reader = reader;
    this.recent = Caffeine.newBuilder().maximumWeight(maxWeightBytes)
        .weigher((Long fingerprint, SpannedBody b) -> b.bytes().length * WEIGHT_PER_BYTE).build();
  }

  /** The body's object, or null when it is not a valid JSON object (the caller's own parse says why). */
  ObjectNode read(byte[] body) {
    if (body.length < MIN_BYTES) {
      throw new IllegalArgumentException("a body under " + MIN_BYTES + " bytes is parsed as it is");
    }
    SpannedBody prior = prior(body);
    SpannedBody read;
    try {
      read = prior == null ? reader.whole(body) : reader.after(body, prior);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    recent.put(fingerprint(body, Integer.highestOneBit(body.length)), read);
    return read.object();
  }

  private SpannedBody prior(byte[] body) {
    for (int cut = Integer.highestOneBit(body.length); cut >= MIN_BYTES; cut >>>= 1) {
      SpannedBody found = recent.getIfPresent(fingerprint(body, cut));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The cut and the {@value #WINDOW} bytes before it, mixed into one number. */
  static long fingerprint(byte[] body, int cut) {
    long h = cut;
    for (int i = cut - WINDOW; i < cut; i += Words.SIZE) {
      h = (h ^ Words.at(body, i)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 32;
    }
    return h;
  }
}
