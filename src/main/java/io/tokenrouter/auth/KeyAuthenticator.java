package io.tokenrouter.auth;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.ModelPatterns;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a raw key to an {@link Identity}. Lookups go by the key's SHA-256 through a Caffeine
 * cache; the database is read on {@code blocking}, never on the caller's thread, and a key's user
 * and plan are read with it. Revocation and expiry are checked on every request against what was
 * cached, and the stored hash is compared in constant time.
 *
 * <p>A known key is looked up again once {@code auth.cache_ttl} has passed, in the background:
 * the request that notices answers from the cached lookup and does not wait. When that lookup
 * fails (the database is unreachable) the cached one keeps serving, until {@code auth.stale_for}
 * after it was made; so a database outage does not turn into refused traffic. A revocation
 * announced by any instance ({@link #invalidate}) drops the key at once, outage or not. An unknown
 * key (or one that could not be checked) is remembered for at most a second, so a key created a
 * moment ago is not refused for long. A request waits at most {@code auth.lookup_timeout} for a
 * key that is not cached: during an outage it gets a quick 503 rather than a long wait.
 */
public final class KeyAuthenticator implements Authenticator {
  private static final Logger log = LoggerFactory.getLogger(KeyAuthenticator.class);
  private static final Duration UNKNOWN_KEY_TTL = Duration.ofSeconds(1);

  /** A key with its owner, as cached. */
  private record Account(StoredKey key, byte[] hash, StoredUser user, StoredPlan plan, ModelPatterns models) {}

  /**
   * One lookup: the account (empty for an unknown key; null when the database could not be
   * asked) and when it was made, which is what its staleness is measured from.
   */
  private record Lookup(Optional<Account> account, long madeAtNanos) {
    boolean failed() {
      return account == null;
    }
  }

  private final AsyncLoadingCache<String, Lookup> cache;
  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final Clock clock;
  private final Duration lookupTimeout;
  private final AtomicBoolean storeDown = new AtomicBoolean();

  public KeyAuthenticator(ApiKeyRepository keys, UserRepository users, AuthConfig config, Executor blocking,
      Clock clock) {
    this.keys = keys;
    this.users = users;
    this.clock = clock;
    this.lookupTimeout = config.lookupTimeout();
    long knownNanos = config.staleFor().toNanos();
    long unknownNanos = Math.min(config.cacheTtl().toNanos(), UNKNOWN_KEY_TTL.toNanos());
    this.cache = Caffeine.newBuilder()
        .maximumSize(config.cacheSize())
        // The cache's own upkeep (a few buffered reads replayed) runs on the thread that triggers
        // it: handed to another executor it woke a thread every few requests. Lookups go to
        // blocking themselves, below.
        .executor(Runnable::run)
        .refreshAfterWrite(config.cacheTtl())
        .expireAfter(new Expiry<String, Lookup>() {
          @Override
          public long expireAfterCreate(String hash, Lookup lookup, long now) {
            return remaining(lookup, now);
          }

          @Override
          public long expireAfterUpdate(String hash, Lookup lookup, long now, long current) {
            return remaining(lookup, now);
          }

          @Override
          public long expireAfterRead(String hash, Lookup lookup, long now, long current) {
            return current;
          }

          /**
           * Measured from the lookup, not the write: a failed reload that kept it adds no time. A
           * failed lookup is kept as briefly as an unknown key, so that requests repeating a key
           * that cannot be checked do not each send a lookup to a database that is not answering.
           */
          private long remaining(Lookup lookup, long now) {
            long lifetime = lookup.failed() || lookup.account().isEmpty() ? unknownNanos : knownNanos;
            return Math.max(0, lifetime - (now - lookup.madeAtNanos()));
          }
        })
        .buildAsync(new AsyncCacheLoader<>() {
          @Override
          public CompletableFuture<Lookup> asyncLoad(String hash, Executor upkeep) {
            return CompletableFuture.supplyAsync(() -> lookUp(hash), blocking);
          }

          @Override
          public CompletableFuture<Lookup> asyncReload(String hash, Lookup previous, Executor upkeep) {
            return CompletableFuture.supplyAsync(() -> {
              Lookup fresh = lookUp(hash);
              return fresh.failed() && !previous.failed() ? previous : fresh;
            }, blocking);
          }
        });
  }

  /** Reads the key and its owner; a {@link Lookup#failed() failed} lookup when the database cannot answer. */
  private Lookup lookUp(String hash) {
    long at = System.nanoTime();
    try {
      Optional<Account> account = keys.findByHash(hash).map(key -> {
        StoredUser user = key.userId() == null ? null : users.find(key.userId()).orElse(null);
        StoredPlan plan = user == null ? null : users.plan(user.plan()).orElse(null);
        return new Account(key, HexFormat.of().parseHex(key.keyHash()), user, plan, new ModelPatterns(key.models()));
      });
      if (storeDown.compareAndSet(true, false)) {
        log.info("keys can be looked up again");
      }
      return new Lookup(account, at);
    } catch (RuntimeException e) {
      if (storeDown.compareAndSet(false, true)) {
        log.warn("keys cannot be looked up ({}); known keys keep working from their last lookup, unknown keys get 503",
            e.getMessage());
      }
      return new Lookup(null, at);
    }
  }

  /** Completes with the identity, or fails with {@link AuthException}. */
  @Override
  public CompletableFuture<Identity> authenticate(String rawKey) {
    if (rawKey == null || rawKey.isBlank()) {
      return CompletableFuture.failedFuture(new AuthException(
          "You didn't provide an API key. You need to provide your API key in an Authorization header "
              + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
    }
    byte[] digest = ApiKeys.digest(rawKey);
    String hash = HexFormat.of().formatHex(digest);
    return cache.get(hash).thenApply(lookup -> {
      if (lookup.failed()) {
        throw new KeyStoreUnavailableException("the database does not answer");
      }
      Account account = lookup.account()
          .filter(a -> MessageDigest.isEqual(a.hash(), digest))
          .orElseThrow(() -> new AuthException("Incorrect API key provided: " + ApiKeys.displayPrefix(rawKey) + "..."));
      StoredKey key = account.key();
      if (key.revoked()) {
        throw new AuthException("This API key has been revoked.");
      }
      if (key.disabled()) {
        throw new AuthException("This API key is disabled.");
      }
      if (key.expiresAt() != null && !clock.instant().isBefore(key.expiresAt())) {
        throw new AuthException("This API key expired at " + key.expiresAt() + ".");
      }
      if (key.userId() != null && account.user() == null) {
        throw new AuthException("This API key belongs to a user that no longer exists.");
      }
      return identity(account);
    }).orTimeout(lookupTimeout.toNanos(), TimeUnit.NANOSECONDS).exceptionally(e -> {
      throw e instanceof TimeoutException
          ? new KeyStoreUnavailableException("no answer from the database within " + lookupTimeout.toMillis() + " ms")
          : e instanceof CompletionException c ? c : new CompletionException(e);
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
  @Override
  public void invalidate(String keyHash) {
    cache.synchronous().invalidate(keyHash);
  }
}
