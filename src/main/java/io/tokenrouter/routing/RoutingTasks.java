package io.tokenrouter.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the router does in the background, never on a call's path: model lists, health checks, reloads. */
public final class RoutingTasks {
  private static final Logger log = LoggerFactory.getLogger(RoutingTasks.class);
  /** The longest the start waits for the providers' first model lists. */
  private static final long FIRST_LISTS_SECONDS = 10;
  private final ModelLists lists;
  private final HealthChecks checks;
  private final ConfigReload reload;

  private RoutingTasks(ModelLists lists, HealthChecks checks, ConfigReload reload) {
    this.lists = lists;
    this.checks = checks;
    this.reload = reload;
  }

  /**
   * Fetches the providers' model lists (waiting a little, so the first {@code /v1/models}
   * already has them) and starts the health checks and the configuration's reloads.
   */
  public static RoutingTasks start(Vertx vertx, Reconfigurer reconfigurer, ConfigReload reload) {
    ModelLists lists = new ModelLists(vertx, reconfigurer);
    try {
      lists.start().await(FIRST_LISTS_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("provider model lists not fetched within {} s; they are offered once they arrive", FIRST_LISTS_SECONDS);
    }
    HealthChecks checks = new HealthChecks(vertx, reconfigurer.router());
    checks.start();
    reload.start(lists::refresh);
    return new RoutingTasks(lists, checks, reload);
  }

  /** Reloads the configuration file and the admin API's stored changes now (SIGHUP). */
  public Future<Boolean> reload() {
    return reload.reload(true);
  }

  public void stop() {
    lists.stop();
    checks.stop();
    reload.stop();
  }
}
