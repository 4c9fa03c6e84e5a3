package io.tokenrouter.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** What the admin API shows of each target: its breaker, its statistics and its provider's keys. */
public final class HealthReport {
  private HealthReport() {}

  public static JsonObject of(ModelRouter router) {
    long now = System.nanoTime();
    JsonArray targets = new JsonArray();
    for (TargetState t : router.table().targets()) {
      CircuitBreaker breaker = t.breaker();
      TargetStats stats = t.stats();
      JsonArray keys = new JsonArray();
      for (int k = 0; k < t.keys().size(); k++) {
        keys.add(new JsonObject().put("index", k).put("state", t.keys().state(k, now)));
      }
      targets.add(new JsonObject()
          .put("target", t.id())
          .put("provider", t.provider())
          .put("model", t.model())
          .put("circuit", breaker.state().name().toLowerCase(Locale.ROOT))
          .put("open_elsewhere", breaker.isOpenElsewhere())
          .put("probe_in_ms", breaker.untilProbe(now) / 1_000_000)
          .put("consecutive_failures", breaker.consecutiveFailures())
          .put("health", Math.round(stats.health() * 1000) / 1000.0)
          .put("ttft_ms", stats.ttftMillis() < 0 ? null : Math.round(stats.ttftMillis()))
          .put("in_flight", stats.inFlight())
          .put("cache_hit_ratio", Math.round(stats.cacheHitRatio() * 1000) / 1000.0)
          .put("keys", keys));
    }
    return new JsonObject().put("targets", targets);
  }
}
