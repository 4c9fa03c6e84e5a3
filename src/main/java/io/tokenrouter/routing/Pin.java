package io.tokenrouter.routing;

/**
 * Where a conversation was last served: the target and the key.
 *
 * @param target the target's id, {@code provider/model}
 * @param key the key's index, -1 for a provider without keys
 */
public record Pin(String target, int key) {
  /** The stored form, {@code provider/model#key}. */
  String encode() {
    return target + '#' + key;
  }

  /** Null for what is not a pin (written by another version, say). */
  static Pin decode(String value) {
    int hash = value == null ? -1 : value.lastIndexOf('#');
    if (hash <= 0) {
      return null;
    }
    try {
      return new Pin(value.substring(0, hash), Integer.parseInt(value.substring(hash + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
