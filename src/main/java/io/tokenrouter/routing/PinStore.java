package io.tokenrouter.routing;

import io.vertx.core.Future;
import java.time.Duration;

/** Where session pins live: Redis when instances share them, the process otherwise. */
public interface PinStore {
  /** The pin stored under {@code key}, or null; reading it keeps it another {@code ttl}. */
  Future<String> get(String key, Duration ttl);

  void put(String key, String pin, Duration ttl);
}
