package io.tokenrouter.envelope;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What was made of an object, by the object's identity. The body of an agent's next turn hands
 * its readers the very JSON nodes of the previous turn's messages ({@link JsonBody#parseObject}),
 * so a reader that remembers what it made of a node makes each message once per conversation, not
 * once per turn, and it is the same object every turn; a stage or a writer that remembers what it
 * made of that message does its work once too. Only requests read after a previous turn are worth
 * remembering ({@link Envelope#readAfterPrevious()}).
 *
 * <p>Entries live in two generations: when the current one has made {@value #GENERATION} entries it
 * becomes the previous one and the previous one is dropped; an entry found in the previous one is
 * carried into the current one. A conversation under way keeps its entries, one that stopped loses
 * them after two generations, and the memory held is bounded by the count, whatever holds the keys.
 * (Weak keys, tried first, cost a fifth of an agent request's event loop in reference handling and
 * cache upkeep, and a value holding its key kept both for ever.)
 *
 * @param <K> what was worked on, deeply immutable
 * @param <V> what was made of it, deeply immutable
 */
public final class IdentityMemo<K, V> {
  /** Some fifty conversations of two hundred messages: as many as the recent bodies hold. */
  static final int GENERATION = 10_000;

  private volatile Map<Identity, V> current = new ConcurrentHashMap<>();
  private volatile Map<Identity, V> previous = Map.of();
  private final AtomicInteger made = new AtomicInteger();

  /** What {@code make} makes of the key, made once while remembered. */
  public V read(K key, Function<? super K, ? extends V> make) {
    V known = get(key);
    if (known != null) {
      return known;
    }
    V value = make.apply(key);
    put(key, value);
    return value;
  }

  /** What was made of the key, or null. */
  public V get(K key) {
    Identity k = new Identity(key);
    V known = current.get(k);
    if (known == null) {
      known = previous.get(k);
      if (known != null) {
        put(k, known);
      }
    }
    return known;
  }

  public void put(K key, V value) {
    put(new Identity(key), value);
  }

  private void put(Identity key, V value) {
    Map<Identity, V> now = current;
    now.put(key, value);
    if (made.incrementAndGet() >= GENERATION) {
      synchronized (this) {
        if (current == now) {
          previous = now;
          current = new ConcurrentHashMap<>();
          made.set(0);
        }
      }
    }
  }

  /** An object compared by identity. */
  private record Identity(Object of) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.of == of;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(of);
    }
  }
}
