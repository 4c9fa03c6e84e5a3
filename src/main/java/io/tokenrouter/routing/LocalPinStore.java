package io.tokenrouter.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import java.time.Duration;

/** Pins in this process: bounded, each kept its TTL after its last use. */
public final class LocalPinStore implements PinStore {
  private record Entry(String pin, long ttlNanos) {}

  private final Cache<String, Entry> pins;

  public LocalPinStore(int maxSessions) {
    this.pins = Caffeine.newBuilder().maximumSize(maxSessions).expireAfter(new Expiry<String, Entry>() {
      @Override
      public long expireAfterCreate(String key, Entry value, long currentTime) {
        return value.ttlNanos();
      }

      @Override
      public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
        return value.ttlNanos();
      }

      @Override
      public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
        return value.ttlNanos();
      }
    }).build();
  }

  @Override
  public Future<String> get(String key, Duration ttl) {
    Entry entry = pins.getIfPresent(key);
    return Future.succeededFuture(entry == null ? null : entry.pin());
  }

  @Override
  public void put(String key, String pin, Duration ttl) {
    pins.put(key, new Entry(pin, ttl.toNanos()));
  }
}
