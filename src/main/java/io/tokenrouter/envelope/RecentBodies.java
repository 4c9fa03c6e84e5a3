package io.tokenrouter.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Large request bodies read with the help of the last one of the same conversation. An agent
 * (Claude Code, Codex, Cline) resends its whole conversation every turn, a few hundred kilobytes
 * after an hour, of which only the last messages are new; parsing it was a fifth of the gateway's
 * work on such a request. Here each value the previous body had, at the same place and with the
 * same bytes, is taken over as the same tree (and so, to the readers and stages that remember
 * what they made of a node, as the same message), and only the rest is parsed.
 *
 * <p>The previous body is found by its bytes: bodies are kept under a fingerprint of the
 * {@value #WINDOW} bytes before the largest power of two within their conversation (which other members
 * may follow: Claude Code's system and tools, Codex's tools), and a body looks for its
 * fingerprints from its own largest power of two down. The next turn of a conversation starts with
 * the previous turn's conversation, so it finds it among the few bodies kept under that
 * fingerprint (several conversations may have the same bytes there: one agent's instructions and
 * tools): the one whose conversation it continues, told by its last messages found at their places
 * here, all but one at most (an agent may have moved a cache breakpoint off the very last), or
 * else the one it shares the longest start with. What is found is only a candidate: every value is
 * compared byte for byte before it is taken over, and a wrong one costs a parse as before. A body
 * that continues a conversation and took over most of its previous turn replaces that turn and
 * continues its memory; any other starts a memory of its own (a first turn shares the agent's
 * instructions with the other conversations, often more than half its bytes, and must not join
 * their memory). Bodies are kept up to a bound on their estimated size with their trees, least
 * recently used first dropped.
 *
 * <p>Bodies are kept per caller and a body is read after its own caller's only: a value taken over
 * is read faster, and that must not tell one caller what another sent (as providers keep their
 * prompt caches per organisation).
 */
final class RecentBodies {
  /** Smaller bodies are parsed as they are: little to gain, and the cache stays for agents' bodies. */
  static final int MIN_BYTES = 16 * 1024;
  private static final int WINDOW = 64;
  /** The smallest cut: a conversation's array may end well before 16 KB in a body past it. */
  private static final int MIN_CUT = 1024;
  /** Conversations kept under one fingerprint: those of one agent may share their first kilobytes. */
  private static final int PER_FINGERPRINT = 16;
  /**
   * A parsed tree is about twice its JSON's bytes (strings, nodes, maps); kept with the bytes and
   * what the conversation's memory holds of it (messages, digests' states, written parts), four times.
   */
  private static final int WEIGHT_PER_BYTE = 4;

  /**
   * Bodies read lately, by which the requests in flight (a few dozen at most) find theirs again.
   * Neither these nor the cache keep a request's array (the request does, while in flight; a
   * 300 KB array kept a little longer is copied by every young collection it lives through).
   */
  private static final int LATELY = 64;
  /** The last elements of a body's conversation looked for in the next turn. */
  private static final int LAST = 4;

  private final SpannedReader reader;
  private final Cache<Long, Kept[]> recent;
  private final AtomicReferenceArray<Lately> lately = new AtomicReferenceArray<>(LATELY);
  private final AtomicInteger next = new AtomicInteger();

  /**
   * The bound on the bodies kept, for a heap of {@code maxHeapBytes}: a tenth of it, so that a
   * gateway given a larger heap for more agents also remembers more of their conversations (the
   * launcher's 512 MB keeps some forty 300 KB turns), and never under 16 MB.
   */
  static long boundFor(long maxHeapBytes) {
    return Math.max(16L << 20, maxHeapBytes / 10);
  }

  RecentBodies(SpannedReader reader, long maxWeightBytes) {
    this.reader = reader;
    // The cache's upkeep (evicting the oldest bodies) runs on the event loop that kept one: handed
    // to the common pool it woke one of its threads for every body kept.
    this.recent = Caffeine.newBuilder().maximumWeight(maxWeightBytes).weigher(RecentBodies::weight)
        .executor(Runnable::run).build();
  }

  /**
   * What is kept of a body: its members (their values and the values' bytes), its memory, who sent
   * it, the cut it is kept under, and its conversation's last elements with where they start.
   */
  private record Kept(String caller, SpannedBody.Member[] members, TurnMemory memory, int length, int cut,
      int[] lastAt, byte[][] last) {
    static Kept of(String caller, SpannedBody read, String conversationMember) {
      SpannedBody.Member conversation = conversation(read.members(), conversationMember);
      int n = conversation == null ? 0 : conversation.elements().length;
      int from = Math.max(0, n - LAST);
      // the window before the cut lies in the conversation, which the next turn starts with
      int end = conversation == null ? read.bytes().length : conversation.end();
      return new Kept(caller, read.members(), read.memory(), read.bytes().length,
          Math.max(MIN_CUT, Integer.highestOneBit(end)),
          n == 0 ? new int[0] : Arrays.copyOfRange(conversation.starts(), from, n),
          n == 0 ? new byte[0][] : Arrays.copyOfRange(conversation.elements(), from, n));
    }

    /**
     * The array the API names as the conversation, else the longest array; null when there is
     * no array. The conversation's place in a body varies (Claude Code sends its messages first,
     * then 108 KB of system and tools; Codex its input, then 18 KB of tools), and it need not be
     * the longest array (those same 82 KB of tools, against a conversation's first turns).
     */
    private static SpannedBody.Member conversation(SpannedBody.Member[] members, String name) {
      SpannedBody.Member longest = null;
      for (SpannedBody.Member m : members) {
        if (m.elements() == null) {
          continue;
        }
        if (m.name().equals(name)) {
          return m;
        }
        if (longest == null || m.end() - m.start() > longest.end() - longest.start()) {
          longest = m;
        }
      }
      return longest;
    }

    /**
     * Whether {@code body} continues this body's conversation: has its last elements at their
     * places, all but one at most. One may differ: an agent moves its newest cache breakpoint every
     * turn, off what was the last message. One alone found among four is not enough: another
     * conversation may have the same answer ("Done.") or the same file's contents at the same place.
     */
    boolean continuedBy(byte[] body) {
      int missing = 0;
      for (int i = last.length - 1; i >= 0; i--) {
        if (!SpannedReader.same(body, lastAt[i], last[i]) && ++missing > 1) {
          return false;
        }
      }
      return last.length > missing;
    }
  }

  private static int weight(Long fingerprint, Kept[] bodies) {
    long bytes = 0;
    for (Kept k : bodies) {
      bytes += k.length();
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes * WEIGHT_PER_BYTE);
  }

  /**
   * The body read, or null when it is not a valid JSON object (the plain parse says why).
   *
   * @param caller who sent it: bodies are compared with that caller's only
   * @param conversation the member that holds the conversation in the body's API
   */
  SpannedBody read(byte[] body, String caller, String conversation) {
    if (body.length < MIN_BYTES) {
      throw new IllegalArgumentException("a body under " + MIN_BYTES + " bytes is parsed as it is");
    }
    Found found = prior(body, caller);
    Kept prior = found == null ? null : found.kept();
    SpannedBody read;
    try {
      read = prior == null ? reader.whole(body) : reader.after(body, prior.members(), prior.memory());
    } catch (IOException | RuntimeException e) {
      return null;
    }
    // the previous turn of the body's conversation when the body continues it and took over most
    // of it; another body found (another conversation of the same agent) lends its values, not its memory
    Kept previous = prior != null && found.continues()
        && taken(read.members(), prior.members()) >= prior.length() / 2 ? prior : null;
    if (prior != null && previous == null) {
      read = new SpannedBody(read.bytes(), read.object(), read.members(), new TurnMemory());
    }
    keep(caller, read, conversation, previous);
    lately.set(Math.floorMod(next.getAndIncrement(), LATELY), new Lately(read));
    return read;
  }

  /** The body as read lately, by the very array (without its object); null when it was not, or too long ago. */
  SpannedBody lately(byte[] body) {
    int hash = System.identityHashCode(body);
    for (int i = 0; i < LATELY; i++) {
      Lately l = lately.get(i);
      if (l != null && l.hash == hash && l.body.get() == body) {
        return new SpannedBody(body, null, l.members, l.memory);
      }
    }
    return null;
  }

  /** A body read lately: the array held weakly, found by its identity. */
  private static final class Lately {
    final int hash;
    final WeakReference<byte[]> body;
    final SpannedBody.Member[] members;
    final TurnMemory memory;

    Lately(SpannedBody read) {
      this.hash = System.identityHashCode(read.bytes());
      this.body = new WeakReference<>(read.bytes());
      this.members = read.members();
      this.memory = read.memory();
    }
  }

  /** A body kept to read another after, and whether that one continues its conversation. */
  private record Found(Kept kept, boolean continues) {}

  /**
   * The body to read this one after, or null: the previous turn of its conversation under any of
   * its fingerprints, else the caller's body it shares the longest start with under the largest.
   * The largest cut alone does not do: the previous turn, shorter by a round, may be kept under
   * the next cut down, while under the largest other conversations of the caller may have the
   * same bytes at the same place (the same file read in two sessions of one repository).
   */
  private Found prior(byte[] body, String caller) {
    Kept[] largest = null;
    for (int cut = Integer.highestOneBit(body.length); cut >= MIN_CUT; cut >>>= 1) {
      Kept[] found = recent.getIfPresent(fingerprint(body, cut, caller));
      if (found == null) {
        continue;
      }
      for (Kept k : found) {
        if (k.caller().equals(caller) && k.continuedBy(body)) {
          return new Found(k, true);
        }
      }
      if (largest == null) {
        largest = found;
      }
    }
    Kept other = largest == null ? null : longestShared(body, caller, largest);
    return other == null ? null : new Found(other, false);
  }

  /**
   * The caller's candidate this body shares the longest start with, for a conversation's first
   * turn here or one whose last messages changed.
   */
  private static Kept longestShared(byte[] body, String caller, Kept[] candidates) {
    Kept best = null;
    int longest = -1;
    for (Kept k : candidates) {
      if (!k.caller().equals(caller)) {
        continue;
      }
      int shared = shared(body, k.members());
      if (shared > longest) {
        longest = shared;
        best = k;
      }
    }
    return best;
  }

  /** How many of the kept body's bytes the read took over: its values met again, by identity. */
  private static long taken(SpannedBody.Member[] read, SpannedBody.Member[] prior) {
    long taken = 0;
    for (SpannedBody.Member m : read) {
      SpannedBody.Member was = SpannedBody.member(prior, m.name());
      if (was == null) {
        continue;
      }
      if (m.bytes() != null && m.bytes() == was.bytes()) {
        taken += m.bytes().length;
      } else if (m.elements() != null && was.elements() != null) {
        for (int i = 0; i < Math.min(m.elements().length, was.elements().length); i++) {
          if (m.elements()[i] != null && m.elements()[i] == was.elements()[i]) {
            taken += m.elements()[i].length;
          }
        }
      }
    }
    return taken;
  }

  /**
   * Up to where the body has the kept body's values at their places, value by value from the start
   * (a number or a literal, kept without its bytes, is passed over).
   */
  private static int shared(byte[] body, SpannedBody.Member[] members) {
    int shared = 0;
    for (SpannedBody.Member m : members) {
      if (m.elements() == null) {
        if (m.bytes() == null) {
          continue;
        }
        if (!SpannedReader.same(body, m.start(), m.bytes())) {
          return shared;
        }
        shared = m.end();
        continue;
      }
      for (int i = 0; i < m.elements().length; i++) {
        if (!SpannedReader.same(body, m.starts()[i], m.elements()[i])) {
          return shared;
        }
        shared = m.ends()[i];
      }
      shared = m.end();
    }
    return shared;
  }

  /** The body under its fingerprint, in the place of the body it continues (its previous turn), if any. */
  private void keep(String caller, SpannedBody read, String conversation, Kept continued) {
    Kept body = Kept.of(caller, read, conversation);
    recent.asMap().compute(fingerprint(read.bytes(), body.cut(), caller), (k, was) -> {
      List<Kept> kept = new ArrayList<>(PER_FINGERPRINT);
      kept.add(body);
      if (was != null) {
        for (Kept b : was) {
          if (b != continued && kept.size() < PER_FINGERPRINT) {
            kept.add(b);
          }
        }
      }
      return kept.toArray(Kept[]::new);
    });
  }

  /** The caller, the cut and the {@value #WINDOW} bytes before it, mixed into one number. */
  private static long fingerprint(byte[] body, int cut, String caller) {
    long h = cut ^ ((long) caller.hashCode() << 32);
    for (int i = cut - WINDOW; i < cut; i += Words.SIZE) {
      h = (h ^ Words.at(body, i)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 32;
    }
    return h;
  }
}
