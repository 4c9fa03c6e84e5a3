package io.tokenrouter.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.caller.ModelPatterns;
import io.tokenrouter.config.AuthConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks keys against an external token authority (seed 001's remote introspection), for
 * gateways whose keys are issued elsewhere ({@code auth.mode: remote}).
 *
 * <p>The protocol: {@code POST auth.introspection_url} with {@code {"token": "<the client's key>"}}
 * (and {@code Authorization: Bearer <auth.introspection_token>} when set). The authority answers
 * 200 with {@code status} one of {@code active}, {@code expired}, {@code revoked} or
 * {@code unknown}; an active answer also carries {@code key_id} (a UUID, or any string, turned
 * into a stable UUID), and optionally {@code name}, {@code user_id}, {@code project},
 * {@code plan}, {@code models} (globs), {@code limits} and {@code user_limits} (the admin API's
 * fields: {@code rpm_limit}, {@code tpm_limit}, {@code max_concurrency}, {@code burst},
 * {@code max_input_tokens}, {@code max_output_tokens}, {@code daily_budget},
 * {@code monthly_budget}), {@code monthly_token_quota} and {@code price_multiplier}.
 *
 * <p>Answers are cached by the key's SHA-256 for as long as their status warrants (active 30 s,
 * expired 2 m, revoked 10 m, unknown 30 s), at most {@code auth.cache_size} of them; concurrent
 * requests with one key share one call. Anything else (no answer within
 * {@code auth.introspection_timeout}, a refused connection, another status, a body that is not
 * such an answer) is not cached and refuses the request with 503: a key that cannot be checked
 * is never let through.
 */
public final class RemoteAuthenticator implements Authenticator {
  static final Duration ACTIVE_TTL = Duration.ofSeconds(30);
  static final Duration EXPIRED_TTL = Duration.ofMinutes(2);
  static final Duration REVOKED_TTL = Duration.ofMinutes(10);
  static final Duration UNKNOWN_TTL = Duration.ofSeconds(30);

  /**
   * What the authority said of one key; {@code identity} only when active, {@code problem} only
   * when it gave no usable answer (kept for no time at all, so the next request asks again; a
   * failed future would do the same, but Caffeine logs each one with a stack trace).
   */
  private record Verdict(Status status, Identity identity, String problem) {}

  private enum Status { ACTIVE, EXPIRED, REVOKED, UNKNOWN, ERROR }

  /** Told of every lookup and every call to the authority, for metrics. */
  public interface Listener {
    void looked(boolean cached);

    /** @param outcome active, expired, revoked, unknown or error */
    void authorityAnswered(String outcome, long nanos);
  }

  private final HttpClient http;
  private final URI url;
  private final String token;
  private final Duration timeout;
  private final Listener listener;
  private final AsyncCache<String, Verdict> cache;

  public RemoteAuthenticator(AuthConfig config, Listener listener, Ticker ticker) {
    this.url = URI.create(config.introspectionUrl());
    this.token = config.introspectionToken();
    this.timeout = config.introspectionTimeout();
    this.listener = listener;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.cache = Caffeine.newBuilder()
        .maximumSize(config.cacheSize())
        .ticker(ticker)
        .expireAfter(Expiry.<String, Verdict>creating((hash, verdict) -> switch (verdict.status()) {
          case ACTIVE -> ACTIVE_TTL;
          case EXPIRED -> EXPIRED_TTL;
          case REVOKED -> REVOKED_TTL;
          case UNKNOWN -> UNKNOWN_TTL;
          case ERROR -> Duration.ZERO;
        }))
        .buildAsync();
  }

  @Override
  public CompletableFuture<Identity> authenticate(String rawKey) {
    if (rawKey == null || rawKey.isBlank()) {
      return CompletableFuture.failedFuture(new AuthException(
          "You didn't provide an API key. You need to provide your API key in an Authorization header "
              + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
    }
    AtomicBoolean asked = new AtomicBoolean();
    CompletableFuture<Verdict> verdict = cache.get(ApiKeys.hash(rawKey), (hash, executor) -> {
      asked.set(true);
      // told before the call starts: a fast authority can answer before get() returns
      listener.looked(false);
      return introspect(rawKey);
    });
    if (!asked.get()) {
      listener.looked(true);
    }
    return verdict.thenApply(v -> switch (v.status()) {
      case ACTIVE -> v.identity();
      case EXPIRED -> throw new AuthException("This API key has expired.");
      case REVOKED -> throw new AuthException("This API key has been revoked.");
      case UNKNOWN -> throw new AuthException("Incorrect API key provided: " + ApiKeys.displayPrefix(rawKey) + "...");
      case ERROR -> throw new AuthorityUnavailable(v.problem());
    });
  }

  @Override
  public void invalidate(String keyHash) {
    cache.synchronous().invalidate(keyHash);
  }

  private CompletableFuture<Verdict> introspect(String rawKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", rawKey).encode()));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    long started = System.nanoTime();
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle((response, failure) -> {
          Verdict v;
          if (failure != null) {
            v = new Verdict(Status.ERROR, null, "the token authority at " + url + " did not answer: " + failure);
          } else {
            try {
              v = verdict(response, rawKey);
            } catch (AuthorityUnavailable e) {
              v = new Verdict(Status.ERROR, null, e.getMessage());
            }
          }
          listener.authorityAnswered(v.status().name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
          return v;
        });
  }

  private Verdict verdict(HttpResponse<String> response, String rawKey) {
    if (response.statusCode() != 200) {
      throw new AuthorityUnavailable("the token authority at " + url + " answered HTTP " + response.statusCode());
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new AuthorityUnavailable("the token authority at " + url + " answered something that is not JSON");
    }
    String status = String.valueOf(body.getValue("status")).toLowerCase(Locale.ROOT);
    return switch (status) {
      case "active" -> new Verdict(Status.ACTIVE, identity(body, rawKey), null);
      case "expired" -> new Verdict(Status.EXPIRED, null, null);
      case "revoked" -> new Verdict(Status.REVOKED, null, null);
      case "unknown" -> new Verdict(Status.UNKNOWN, null, null);
      default -> throw new AuthorityUnavailable("the token authority at " + url + " answered status '" + status
          + "' (expected active, expired, revoked or unknown)");
    };
  }

  private Identity identity(JsonObject a, String rawKey) {
    try {
      String keyId = a.getString("key_id");
      if (keyId == null || keyId.isBlank()) {
        throw new AuthorityUnavailable("the token authority at " + url + " answered active without a key_id");
      }
      String userId = a.getString("user_id");
      return new Identity(uuid(keyId), a.getString("name", "remote"), ApiKeys.displayPrefix(rawKey),
          new ModelPatterns(strings(a.getJsonArray("models"))), userId == null ? null : uuid(userId),
          a.getString("project"), a.getString("plan"), decimal(a.getValue("price_multiplier")),
          limits(a.getJsonObject("limits")), limits(a.getJsonObject("user_limits")), a.getLong("monthly_token_quota"));
    } catch (ClassCastException | NumberFormatException e) {
      throw new AuthorityUnavailable("the token authority at " + url + " answered a field of the wrong type: "
          + e.getMessage());
    }
  }

  /** The authority's id as a UUID: as it is when it is one, else a UUID derived from it, the same every time. */
  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException notOne) {
      return UUID.nameUUIDFromBytes(("tokenrouter-remote:" + id).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(item -> out.add(String.valueOf(item)));
    }
    return out;
  }

  private static Limits limits(JsonObject l) {
    if (l == null) {
      return Limits.NONE;
    }
    return new Limits(l.getInteger("rpm_limit"), l.getInteger("tpm_limit"), l.getInteger("max_concurrency"),
        l.getInteger("burst"), l.getInteger("max_input_tokens"), l.getInteger("max_output_tokens"),
        decimal(l.getValue("daily_budget")), decimal(l.getValue("monthly_budget")));
  }

  private static BigDecimal decimal(Object v) {
    return v == null ? null : new BigDecimal(v.toString());
  }

  /** The authority gave no usable answer: the request is refused with 503, and nothing is cached. */
  static final class AuthorityUnavailable extends RuntimeException {
    AuthorityUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
