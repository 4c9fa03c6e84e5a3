package io.tokenrouter.envelope;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway made of one conversation's parts, kept as long as the conversation's bodies
 * are ({@link RecentBodies}): a body read after the previous turn shares the previous turn's
 * memory, and the memory goes when the last of its bodies leaves. So what is remembered is bounded
 * by the bodies kept, and ends with them. Entries are keyed by {@link IdentityMemo} and the
 * identity of the part; one conversation's turns may be read on several event loops at once.
 */
public final class TurnMemory {
  private final ConcurrentHashMap<Entry, Object> made = new ConcurrentHashMap<>();

  Object get(IdentityMemo<?, ?> memo, Object part) {
    return made.get(new Entry(memo, part));
  }

  void put(IdentityMemo<?, ?> memo, Object part, Object value) {
    made.put(new Entry(memo, part), value);
  }

  /** A part, compared by identity, in one memo. */
  private record Entry(IdentityMemo<?, ?> memo, Object part) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Entry other && other.part == part && other.memo == memo;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(part) * 31 + System.identityHashCode(memo);
    }
  }
}
