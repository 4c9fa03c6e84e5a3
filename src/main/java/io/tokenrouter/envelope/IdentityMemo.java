package io.tokenrouter.envelope;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What was made of an object, by the object's identity, in a conversation's {@link TurnMemory}.
 * The body of an agent's next turn hands its readers the very JSON nodes of the previous turn's
 * messages ({@link JsonBody#parseObject}), so a reader that remembers what it made of a node makes
 * each message once per conversation, not once per turn, and it is the same object every turn; a
 * stage or a writer that remembers what it made of that message does its work once too.
 *
 * <p>Without a memory (a request not read after a previous turn) nothing is remembered and each
 * call makes its value. (Process-wide memos, tried first, held parts long after their bodies
 * had gone, a few hundred megabytes under load, or, with weak keys, cost a fifth of an agent
 * request's event loop in reference handling.)
 *
 * @param <K> what was worked on, deeply immutable
 * @param <V> what was made of it, deeply immutable
 */
public final class IdentityMemo<K, V> {
  private static final AtomicInteger MEMOS = new AtomicInteger();
  /** Where a memory keeps this memo's order of parts: memos are few, made once per class. */
  private final int ordinal = MEMOS.getAndIncrement();

  /** What {@code make} makes of the key, made once in the memory; made each time without one. */
  public V read(TurnMemory memory, K key, Function<? super K, ? extends V> make) {
    V known = get(memory, key);
    if (known != null) {
      return known;
    }
    V value = make.apply(key);
    put(memory, key, value);
    return value;
  }

  /** What was made of the key, or null. */
  @SuppressWarnings("unchecked")
  public V get(TurnMemory memory, K key) {
    return memory == null ? null : (V) memory.get(this, key);
  }

  int ordinal() {
    return ordinal;
  }

  public void put(TurnMemory memory, K key, V value) {
    if (memory != null) {
      memory.put(this, key, value);
    }
  }
}
