package io.tokenrouter.auth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokenrouter.config.AuthConfig;
import io.tokenrouter.limit.RequestLimits;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Resolves a raw key to an {@link Identity}. Lookups go by the key's SHA-256 through a Caffeine
 * cache (known keys for {@code auth.cache_ttl}, unknown ones for at most a second so a key
 * created a moment ago is not refused for long); the database is read on {@code blocking}, never
 * on the caller's thread. Revocation and expiry are checked on every request against what was
 * cached, and the stored hash is compared in constant time.
 */
public final class KeyAuthenticator {
  private static final Duration UNKNOWN_KEY_TTL = Duration.ofSeconds(1);
  private final AsyncLoadingCache<String, Optional<StoredKey>> cache;
  private final Clock clock;

  public KeyAuthenticator(ApiKeyRepository keys, AuthConfig config, Executor blocking, Clock clock) {
    this.clock = clock;
    long knownNanos = config.cacheTtl().toNanos();
    long unknownNanos = Math.min(knownNanos, UNKNOWN_KEY_TTL.toNanos());
    this.cache = Caffeine.newBuilder()
        .maximumSize(config.cacheSize())
        .executor(blocking)
        .expireAfter(Expiry.<String, Optional<StoredKey>>creating((hash, key) ->
            Duration.ofNanos(key.isPresent() ? knownNanos : unknownNanos)))
        .buildAsync(keys::findByHash);
  }

  /** Completes with the identity, or fails with {@link AuthException}. */
  public CompletableFuture<Identity> authenticate(String rawKey) {
    if (rawKey == null || rawKey.isBlank()) {
      return CompletableFuture.failedFuture(new AuthException(
          "You didn't provide an API key. You need to provide your API key in an Authorization header "
              + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
    }
    byte[] digest = ApiKeys.digest(rawKey);
    String hash = HexFormat.of().formatHex(digest);
    return cache.get(hash).thenApply(found -> {
      StoredKey key = found.filter(k -> MessageDigest.isEqual(HexFormat.of().parseHex(k.keyHash()), digest))
          .orElseThrow(() -> new AuthException("Incorrect API key provided: " + ApiKeys.displayPrefix(rawKey) + "..."));
      if (key.revoked()) {
        throw new AuthException("This API key has been revoked.");
      }
      if (key.expiresAt() != null && !clock.instant().isBefore(key.expiresAt())) {
        throw new AuthException("This API key expired at " + key.expiresAt() + ".");
      }
      return new Identity(key.id(), key.name(), key.keyPrefix(), key.models(),
          new RequestLimits(key.rpmLimit(), key.maxConcurrency()), key.userId(), key.project(), null, null);
    });
  }

  /** Forgets a cached key at once (after a revoke in this process). */
  public void invalidate(String keyHash) {
    cache.synchronous().invalidate(keyHash);
  }
}
