package io.tokenrouter.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * What was made of an object, kept while the object lives. The body of an agent's next turn hands
 * its readers the very JSON nodes of the previous turn's messages ({@link JsonBody#parseObject}),
 * so a reader that remembers what it made of a node makes each message once per conversation, not
 * once per turn, and it is the same object every turn; a stage or a writer that remembers what it
 * made of that message does its work once too.
 *
 * <p>Keys are compared by identity and held weakly: an entry goes when the bodies that held its key
 * have left the gateway's cache of recent bodies and every request using them has ended. A value
 * that is its key (a stage that left a part as it was) is kept as a mark, not a reference, which
 * would hold the key for ever; one that refers to its key otherwise is held until the bound on
 * entries drops it. Only requests read after a previous turn are worth remembering
 * ({@link Envelope#readAfterPrevious()}).
 *
 * @param <K> what was worked on, deeply immutable
 * @param <V> what was made of it, deeply immutable
 */
public final class IdentityMemo<K, V> {
  /** The value of a key that is its own value. */
  private static final Object ITSELF = new Object();
  /** Some fifty conversations of a few hundred messages, as many as the recent bodies hold. */
  private static final int MAX_ENTRIES = 20_000;

  private final Cache<K, Object> made = Caffeine.newBuilder().weakKeys().maximumSize(MAX_ENTRIES).build();

  /** What {@code make} makes of the key, made once while it lives. */
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
  @SuppressWarnings("unchecked")
  public V get(K key) {
    Object known = made.getIfPresent(key);
    return known == ITSELF ? (V) key : (V) known;
  }

  public void put(K key, V value) {
    made.put(key, value == key ? ITSELF : value);
  }
}
