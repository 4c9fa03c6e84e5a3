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
 * have left the gateway's cache of recent bodies and every request using them has ended. Only
 * requests read after a previous turn are worth remembering ({@link Envelope#readAfterPrevious()}).
 *
 * @param <K> what was worked on, deeply immutable
 * @param <V> what was made of it, deeply immutable
 */
public final class IdentityMemo<K, V> {
  private final Cache<K, V> made = Caffeine.newBuilder().weakKeys().maximumSize(200_000).build();

  /** What {@code make} makes of the key, made once while it lives. */
  public V read(K key, Function<? super K, ? extends V> make) {
    V known = made.getIfPresent(key);
    if (known != null) {
      return known;
    }
    V value = make.apply(key);
    made.put(key, value);
    return value;
  }

  /** What was made of the key, or null. */
  public V get(K key) {
    return made.getIfPresent(key);
  }

  public void put(K key, V value) {
    made.put(key, value);
  }
}
