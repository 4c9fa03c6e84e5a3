package io.tokenrouter.cluster;

/** Something one instance did that every instance must act on. */
public sealed interface ClusterEvent {
  /** A key was revoked or changed: drop it from every auth cache. */
  record KeyChanged(String keyHash) implements ClusterEvent {}

  /**
   * An instance put a new configuration into force (its file changed, or the admin API stored a
   * change): the others read their file and the stored changes again.
   *
   * @param digest the SHA-256 of the file it read and of the admin API's stored changes, so an
   *     instance that already runs on the same does nothing
   */
  record ConfigChanged(String digest) implements ClusterEvent {}

  /** A price in the price list was set or removed: read the list again. */
  record PricesChanged() implements ClusterEvent {}

  /** The wire form: {@code type:argument}. */
  default String encode() {
    return switch (this) {
      case KeyChanged k -> "key_changed:" + k.keyHash();
      case ConfigChanged c -> "config_changed:" + c.digest();
      case PricesChanged p -> "prices_changed:";
    };
  }

  /** Null for a message this version does not know (a newer instance may send more kinds). */
  static ClusterEvent decode(String message) {
    int colon = message.indexOf(':');
    if (colon > 0 && message.startsWith("key_changed")) {
      return new KeyChanged(message.substring(colon + 1));
    }
    if (colon > 0 && message.startsWith("config_changed:")) {
      return new ConfigChanged(message.substring(colon + 1));
    }
    if (message.startsWith("prices_changed:")) {
      return new PricesChanged();
    }
    return null;
  }
}
