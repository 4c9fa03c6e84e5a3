package io.tokenrouter.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one provider: attempts are spread over them in turn; a key the provider answered
 * 429 is left alone until its {@code Retry-After} has passed; a key it refused (401, 403) is
 * taken out (until the configuration changes) and logged once. When a call has no other target
 * left, it still gets a key ({@link #lastResort}): the provider, not a guess, then says whether
 * it still refuses. Shared by every event loop, so its state is atomic.
 */
public final class KeyPool {
  private static final Logger log = LoggerFactory.getLogger(KeyPool.class);
  /** A Retry-After longer than this is not believed: the key is tried again after it. */
  private static final long MAX_COOL_NANOS = 10L * 60 * 1_000_000_000L;
  private final String provider;
  private final List<String> secrets;
  private final ProviderKey[] keys;
  /** System.nanoTime() until which each key waits; 0 when it does not (nanoTime may be negative). */
  private final AtomicLongArray coolUntil;
  private final AtomicIntegerArray refused;
  private final AtomicInteger next = new AtomicInteger();

  public KeyPool(String provider, List<String> secrets) {
    this.provider = provider;
    this.secrets = List.copyOf(secrets);
    this.keys = new ProviderKey[secrets.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new ProviderKey(i, secrets.get(i));
    }
    this.coolUntil = new AtomicLongArray(keys.length);
    this.refused = new AtomicIntegerArray(keys.length);
  }

  /** Whether this pool holds exactly {@code others} (a reload that kept a provider's keys keeps their state). */
  boolean holds(List<String> others) {
    return secrets.equals(others);
  }

  public int size() {
    return keys.length;
  }

  /**
   * The key for the next attempt: {@code preferred} (a session's pinned key) when usable, else the
   * next usable one in turn; {@link ProviderKey#NONE} for a provider without keys; null when
   * every key is cooling down or refused.
   */
  public ProviderKey pick(int preferred, long now) {
    if (keys.length == 0) {
      return ProviderKey.NONE;
    }
    if (keys.length == 1) {
      return usable(0, now) ? keys[0] : null;
    }
    if (preferred >= 0 && preferred < keys.length && usable(preferred, now)) {
      return keys[preferred];
    }
    int start = Math.floorMod(next.getAndIncrement(), keys.length);
    for (int i = 0; i < keys.length; i++) {
      int k = (start + i) % keys.length;
      if (usable(k, now)) {
        return keys[k];
      }
    }
    return null;
  }

  /**
   * For a call with no other target left: the key usable soonest, a refused one only when all
   * are; {@link ProviderKey#NONE} for a provider without keys.
   */
  public ProviderKey lastResort(long now) {
    if (keys.length == 0) {
      return ProviderKey.NONE;
    }
    int best = 0;
    long bestWait = Long.MAX_VALUE;
    for (int k = 0; k < keys.length; k++) {
      long until = coolUntil.get(k);
      long wait = (refused.get(k) != 0 ? Long.MAX_VALUE / 2 : 0) + (until == 0 ? 0 : Math.max(0, until - now));
      if (wait < bestWait) {
        best = k;
        bestWait = wait;
      }
    }
    return keys[best];
  }

  /** Whether a key other than {@code key} could take an attempt now. */
  public boolean hasOther(ProviderKey key, long now) {
    for (int k = 0; k < keys.length; k++) {
      if (k != key.index() && usable(k, now)) {
        return true;
      }
    }
    return false;
  }

  /** The provider asked {@code key} to wait {@code nanos}. */
  public void coolDown(ProviderKey key, long nanos, long now) {
    if (key.index() >= 0) {
      long until = now + Math.min(Math.max(nanos, 0), MAX_COOL_NANOS);
      coolUntil.set(key.index(), until == 0 ? 1 : until);
    }
  }

  /** The provider refused {@code key}: it is not used again. */
  public void refuse(ProviderKey key, String reason) {
    if (key.index() >= 0 && refused.compareAndSet(key.index(), 0, 1)) {
      log.error("provider {} refused {} ({}); it is taken out until the configuration changes", provider, key,
          reason);
    }
  }

  /** Nanoseconds until some key can be used again; 0 when one can now, -1 when all were refused. */
  public long untilUsable(long now) {
    long soonest = -1;
    for (int k = 0; k < keys.length; k++) {
      if (refused.get(k) == 0) {
        long until = coolUntil.get(k);
        long wait = until == 0 ? 0 : Math.max(0, until - now);
        soonest = soonest < 0 ? wait : Math.min(soonest, wait);
      }
    }
    return keys.length == 0 ? 0 : soonest;
  }

  /** The state of key {@code k} for the health report: ok, cooling (with the nanoseconds left) or refused. */
  String state(int k, long now) {
    if (refused.get(k) != 0) {
      return "refused";
    }
    long until = coolUntil.get(k);
    long left = until == 0 ? 0 : until - now;
    return left > 0 ? "cooling " + (left + 999_999) / 1_000_000 + "ms" : "ok";
  }

  private boolean usable(int k, long now) {
    long until = coolUntil.get(k);
    return refused.get(k) == 0 && (until == 0 || until - now <= 0);
  }
}
