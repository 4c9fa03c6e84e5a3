package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * What a reader made of a JSON node, kept while the node lives. The body of an agent's next turn
 * hands its readers the very nodes of the previous turn's messages ({@link JsonBody#parseObject}),
 * so each message is read once per conversation, not once per turn, and is the same object every
 * turn: what the pipeline's stages and the request writers remember of it holds too.
 *
 * <p>Nodes are keys by identity and held weakly: an entry goes when the bodies that held its node
 * have left the gateway's cache of recent bodies and every request using them has ended.
 *
 * @param <T> what the reader makes of a node: deeply immutable, as everything in an envelope
 */
public final class NodeMemo<T> {
  private final Cache<JsonNode, T> made = Caffeine.newBuilder().weakKeys().maximumSize(200_000).build();

  /** What {@code read} makes of the node, read once while it lives. */
  public T read(JsonNode node, Function<JsonNode, T> read) {
    T known = made.getIfPresent(node);
    if (known != null) {
      return known;
    }
    T value = read.apply(node);
    made.put(node, value);
    return value;
  }
}
