package io.tokenrouter.auth;

import io.tokenrouter.caller.ModelPatterns;
import io.tokenrouter.caller.Identity;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokenrouter.config.AuthConfig;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.store.StoredPlan;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserRepository;
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
 * on the caller's thread, and a key's user and plan are read with it. Revocation and expiry are
 * checked on every request against what was cached, and the stored hash is compared in constant
 * time.
 */
public final class KeyAuthenticator {
  private static final Duration UNKNOWN_KEY_TTL = Duration.ofSeconds(1);

  /** A key with its owner, as cached. */
  private record Account(StoredKey key, byte[] hash, StoredUser user, StoredPlan plan, ModelPatterns models) {}

  private final AsyncLoadingCache<String, Optional<Account>> cache;
  private final Clock clock;

  public KeyAuthenticator(ApiKeyRepository keys, UserRepository users, AuthConfig config, Executor blocking,
      Clock clock) {
    this.clock = clock;
    long knownNanos = config.cacheTtl().toNanos();
    long unknownNanos = Math.min(knownNanos, UNKNOWN_KEY_TTL.toNanos());
    this.cache = Caffeine.newBuilder()
        .maximumSize(config.cacheSize())
        .executor(blocking)
        .expireAfter(Expiry.<String, Optional<Account>>creating((hash, account) ->
            Duration.ofNanos(account.isPresent() ? knownNanos : unknownNanos)))
        .buildAsync(hash -> keys.findByHash(hash).map(key -> {
          StoredUser user = key.userId() == null ? null : users.find(key.userId()).orElse(null);
          StoredPlan plan = user == null ? null : users.plan(user.plan()).orElse(null);
          return new Account(key, HexFormat.of().parseHex(key.keyHash()), user, plan, new ModelPatterns(key.models()));
        }));
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
      Account account = found
          .filter(a -> MessageDigest.isEqual(a.hash(), digest))
          .orElseThrow(() -> new AuthException("Incorrect API key provided: " + ApiKeys.displayPrefix(rawKey) + "..."));
      StoredKey key = account.key();
      if (key.revoked()) {
        throw new AuthException("This API key has been revoked.");
      }
      if (key.expiresAt() != null && !clock.instant().isBefore(key.expiresAt())) {
        throw new AuthException("This API key expired at " + key.expiresAt() + ".");
      }
      if (key.userId() != null && account.user() == null) {
        throw new AuthException("This API key belongs to a user that no longer exists.");
      }
      return identity(account);
    });
  }

  private static Identity identity(Account a) {
    StoredKey key = a.key();
    if (a.user() == null) {
      return new Identity(key.id(), key.name(), key.keyPrefix(), a.models(), null, key.project(), null, null,
          key.limits(), null, null, key.pipelineOff());
    }
    StoredUser user = a.user();
    StoredPlan plan = a.plan();
    Long quota = user.quotaLimit() != null ? user.quotaLimit() : plan == null ? null : plan.monthlyTokenQuota();
    return new Identity(key.id(), key.name(), key.keyPrefix(), a.models(), user.id(), key.project(), user.plan(),
        user.priceMultiplier() != null ? user.priceMultiplier() : plan == null ? null : plan.priceMultiplier(),
        key.limits(), user.limits().withDefaultRpm(plan == null ? null : plan.rpm()), quota, key.pipelineOff());
  }

  /** Forgets a cached key at once (after a revoke announced by any instance). */
  public void invalidate(String keyHash) {
    cache.synchronous().invalidate(keyHash);
  }
}
