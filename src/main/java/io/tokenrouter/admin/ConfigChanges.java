package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigOverrides;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.provider.ProviderRegistry;
import io.tokenrouter.store.Transactions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a provider or model change is made: stored with its audit row in one transaction, the
 * configuration it makes (the file's with every stored change laid over it) checked by the same
 * validation as at start before the transaction commits (a refusal is a 400 with the
 * validator's words, and nothing changes), then put into force on this instance through the
 * reload path and announced to the others, which read the stored changes again.
 */
final class ConfigChanges {
  private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);
  private final AdminContext admin;
  private final StoredOverrides stored;
  private final LiveConfig live;
  /** A provider type no factory knows would pass validation and fail only when put into force. */
  private static final ProviderRegistry TYPES = new ProviderRegistry();

  ConfigChanges(AdminContext admin, StoredOverrides stored, LiveConfig live) {
    this.admin = admin;
    this.stored = stored;
    this.live = live;
  }

  StoredOverrides stored() {
    return stored;
  }

  /** The configuration the stored changes make now. */
  GatewayConfig current() {
    return check(stored.read());
  }

  /**
   * Runs {@code change} in a transaction, checks what it makes, commits, and puts it into force.
   *
   * @param view the answer, from the configuration the change made
   */
  Reply apply(String what, Transactions.Work<Void> change, Function<GatewayConfig, JsonObject> view) {
    GatewayConfig next = admin.tx().run(what, c -> {
      change.run(c);
      return check(stored.read(c));
    });
    boolean inForce = true;
    try {
      live.reload();
    } catch (RuntimeException e) {
      inForce = false;
      log.warn("admin change stored but not put into force on this instance: {}", e.getMessage());
    }
    // any text the instances' own digests cannot equal: each reads the stored changes again
    return Reply.changed(view.apply(next).put("in_force", inForce),
        List.of(new ClusterEvent.ConfigChanged("admin:" + UUID.randomUUID())));
  }

  private GatewayConfig check(ConfigOverrides overrides) {
    try {
      GatewayConfig next = live.candidate(overrides);
      TYPES.check(next.providers());
      return next;
    } catch (ConfigException e) {
      throw new AdminError(400, "This change would leave the gateway's configuration invalid, so nothing was"
          + " changed: " + String.join("; ", e.problems()) + ".", "invalid_request_error", null,
          "invalid_configuration");
    }
  }
}
