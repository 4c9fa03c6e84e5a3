package io.tokenrouter.routing;

import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Active health checks (when {@code routing.health_check.interval} is set): each provider that
 * can list its models is asked for the list; an answer ends its targets' open periods at once
 * (the next call is the probe that may close them), a failure counts against them like a failed
 * call. Providers that cannot list are left to the breakers' own probes.
 */
public final class HealthChecks {
  private final Vertx vertx;
  private final ModelRouter router;
  private volatile boolean stopped;
  private long timer = -1;

  public HealthChecks(Vertx vertx, ModelRouter router) {
    this.vertx = vertx;
    this.router = router;
  }

  public void start() {
    schedule(router.table().routing().healthCheck());
  }

  /** Checks are rescheduled from the table in force, so a reload may turn them on, off, or change their pace. */
  private void schedule(RoutingConfig.HealthCheck settings) {
    long every = settings.enabled() ? settings.interval().toMillis() : 1_000;
    if (!stopped) {
      timer = vertx.setTimer(every, id -> {
        RoutingConfig.HealthCheck now = router.table().routing().healthCheck();
        if (now.enabled()) {
          check(router.table(), now);
        }
        schedule(now);
      });
    }
  }

  private void check(RoutingTable table, RoutingConfig.HealthCheck settings) {
    Map<String, List<TargetState>> byProvider = table.targets().stream()
        .collect(Collectors.groupingBy(TargetState::provider));
    byProvider.forEach((provider, targets) -> {
      OutboundAdapter adapter = table.adapters().get(provider);
      ProviderKey key = table.keys(provider).pick(-1, System.nanoTime());
      if (adapter == null || !adapter.listsModels() || key == null) {
        return;
      }
      adapter.models(key.secret()).timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).onComplete(ar -> {
        long now = System.nanoTime();
        for (TargetState target : targets) {
          if (ar.succeeded()) {
            target.breaker().healthy(now);
            target.stats().outcome(true);
          } else {
            target.breaker().onFailure(now);
            target.stats().outcome(false);
          }
        }
      });
    });
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }
}
