package io.tokenrouter.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenrouter.envelope.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON in one deterministic form: object keys in code-point order at every depth, arrays in
 * their order (an array's order is part of its meaning), no insignificant whitespace. Trees are
 * never changed: a sorted copy is built, and a tree already in order is returned as it is.
 */
final class CanonicalJson {
  /**
   * Text a re-serialisation would change the meaning of (duplicate keys, which parsers resolve
   * differently; trailing content, which it would drop) fails here and is left alone. Numbers
   * are read as exact decimals, so none is rounded or overflows on the way back out.
   */
  private static final ObjectReader STRICT = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Arguments already canonicalised, up to about 32 MB of text; {@link #ALREADY} for those that were. */
  private static final Cache<String, String> TEXTS = Caffeine.newBuilder()
      .maximumWeight(16L * 1024 * 1024)
      .weigher((String in, String out) -> in.length() + out.length())
      // its upkeep on the event loop that put one, not a thread of the common pool woken for it
      .executor(Runnable::run)
      .build();
  /** Told apart by identity (a new instance, never interned): the text was canonical as it came. */
  private static final String ALREADY = new String();

  private CanonicalJson() {}

  /** {@code node} with its object keys sorted at every depth; {@code node} itself when it already is. */
  static JsonNode sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>(object.size());
      object.fieldNames().forEachRemaining(names::add);
      boolean changed = false;
      for (int i = 1; i < names.size() && !changed; i++) {
        changed = names.get(i - 1).compareTo(names.get(i)) > 0;
      }
      List<JsonNode> values = new ArrayList<>(names.size());
      for (String name : names) {
        JsonNode child = object.get(name);
        JsonNode sortedChild = sorted(child);
        changed |= sortedChild != child;
        values.add(sortedChild);
      }
      if (!changed) {
        return node;
      }
      List<Integer> order = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        order.add(i);
      }
      order.sort((a, b) -> names.get(a).compareTo(names.get(b)));
      ObjectNode out = Json.MAPPER.createObjectNode();
      for (int i : order) {
        out.set(names.get(i), values.get(i));
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = null;
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        JsonNode sortedChild = sorted(child);
        if (sortedChild != child && out == null) {
          out = Json.MAPPER.createArrayNode();
          for (int j = 0; j < i; j++) {
            out.add(array.get(j));
          }
        }
        if (out != null) {
          out.add(sortedChild);
        }
      }
      return out == null ? node : out;
    }
    return node;
  }

  /**
   * JSON text (a tool call's arguments) in canonical form; {@code text} itself when it already
   * is, or when it is not one JSON object or array (a model's malformed arguments are the
   * client's to send as they are). An agent resends every earlier call's arguments on every
   * turn: each is canonicalised once, then found in a bounded cache.
   */
  static String text(String text) {
    String known = TEXTS.getIfPresent(text);
    if (known != null) {
      return known == ALREADY ? text : known;
    }
    String canonical = canonical(text);
    TEXTS.put(text, canonical == text ? ALREADY : canonical);
    return canonical;
  }

  /**
   * As {@link #text}, past the cache: for arguments that will not be asked for again, a
   * conversation's new call whose canonical form the conversation's memory keeps.
   */
  static String textOnce(String text) {
    return canonical(text);
  }

  private static String canonical(String text) {
    JsonNode tree;
    try {
      tree = STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      return text;
    }
    if (tree == null || !tree.isContainerNode()) {
      return text;
    }
    String canonical = sorted(tree).toString();
    return canonical.equals(text) ? text : canonical;
  }
}
