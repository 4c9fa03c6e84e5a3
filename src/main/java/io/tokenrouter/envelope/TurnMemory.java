package io.tokenrouter.envelope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway made of one conversation's parts, kept as long as the conversation's bodies
 * are ({@link RecentBodies}): a body read after the previous turn shares the previous turn's
 * memory, and the memory goes when the last of its bodies leaves. So what is remembered is bounded
 * by the bodies kept, and ends with them. Entries are keyed by {@link IdentityMemo} and the
 * identity of the part; one conversation's turns may be read on several event loops at once.
 *
 * <p>A turn asks each memo for the conversation's parts in the order the turns before put them
 * (its messages, then the new ones), a few hundred look-ups a turn. A hash look-up of a part
 * nothing has touched since the previous turn misses the CPU's caches three or four times (the
 * part's header for its identity hash, the table, the entry), so each memo also keeps its parts in
 * the order they were put and where its last look-up found one: the next look-up tries the part
 * after it first, one comparison in an array read in order, and goes to the table only when the
 * turn left that order (an edited message, the first look-up of a turn).
 */
public final class TurnMemory {
  private final ConcurrentHashMap<Entry, Made> made = new ConcurrentHashMap<>();
  /** By {@link IdentityMemo#ordinal()}; replaced under this memory's lock, read without it. */
  private volatile Order[] orders = new Order[0];

  Object get(IdentityMemo<?, ?> memo, Object part) {
    Order[] all = orders;
    Order order = memo.ordinal() < all.length ? all[memo.ordinal()] : null;
    if (order == null) {
      return null;
    }
    Object next = order.next(part);
    if (next != null) {
      return next;
    }
    Made found = made.get(new Entry(memo, part));
    if (found == null) {
      return null;
    }
    order.cursor = found.index + 1;
    return found.value;
  }

  void put(IdentityMemo<?, ?> memo, Object part, Object value) {
    Order order = order(memo.ordinal());
    Entry entry = new Entry(memo, part);
    synchronized (order) {
      Made known = made.get(entry);
      made.put(entry, known == null ? order.add(part, value) : order.replace(known, value));
    }
  }

  private Order order(int ordinal) {
    Order[] all = orders;
    if (ordinal < all.length && all[ordinal] != null) {
      return all[ordinal];
    }
    synchronized (this) {
      all = orders;
      if (ordinal < all.length && all[ordinal] != null) {
        return all[ordinal];
      }
      // a new array each time, published whole: readers never see an order half made
      Order[] grown = Arrays.copyOf(all, Math.max(all.length, ordinal + 1));
      grown[ordinal] = new Order();
      orders = grown;
      return grown[ordinal];
    }
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

  /** What a memo made of a part, and where the part is in the memo's order. */
  private record Made(Object value, int index) {}

  /**
   * One memo's parts in the order they were first put, each beside what was made of it in one
   * array (part, value, part, value...), so that a look-up in order reads the next two slots and
   * nothing else. Written under its own lock; read without one: a reader that sees a slot not yet
   * written, or the value a part had before it was put again, goes to the table or makes the
   * value again, as it would without the order.
   */
  private static final class Order {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private volatile Object[] slots = new Object[64];
    private int size;
    /** Where the next look-up is tried first; a hint, so a lost update costs only a miss. */
    int cursor;

    /** What was made of {@code part} if it is the next in order, else null. */
    Object next(Object part) {
      Object[] in = slots;
      int at = cursor;
      int slot = at << 1;
      if (slot < in.length && SLOT.getAcquire(in, slot) == part) {
        Object value = SLOT.getAcquire(in, slot + 1);
        if (value != null) {
          cursor = at + 1;
        }
        return value;
      }
      return null;
    }

    Made add(Object part, Object value) {
      Object[] in = slots;
      int slot = size << 1;
      if (slot == in.length) {
        in = Arrays.copyOf(in, in.length << 1);
      }
      SLOT.setRelease(in, slot + 1, value);
      SLOT.setRelease(in, slot, part);
      slots = in;
      cursor = size + 1;
      return new Made(value, size++);
    }

    Made replace(Made known, Object value) {
      SLOT.setRelease(slots, (known.index << 1) + 1, value);
      return new Made(value, known.index);
    }
  }
}
