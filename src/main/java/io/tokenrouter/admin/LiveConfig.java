package io.tokenrouter.admin;

import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.ConfigOverrides;
import io.tokenrouter.config.GatewayConfig;

/**
 * The configuration the admin API changes: how stored changes laid over the file's settings are
 * checked, and how they are put into force. A running gateway puts them into force at once
 * through its reload path; elsewhere (the command line's own admin API) they are only checked,
 * and the gateways read them when they are told (the change's event) or check next.
 */
public interface LiveConfig {
  /**
   * The configuration {@code overrides} laid over the file's would make, checked as at start.
   *
   * @throws io.tokenrouter.config.ConfigException with the problems, by YAML path
   */
  GatewayConfig candidate(ConfigOverrides overrides);

  /** Reads the stored changes again and puts them into force on this instance (blocking). */
  void reload();

  /** Reads the price list again on this instance, so the next request is priced by it (blocking). */
  void pricesChanged();

  /** Checks against {@code file}; puts nothing into force (no router runs here). */
  static LiveConfig offline(GatewayConfig file) {
    return new LiveConfig() {
      @Override
      public GatewayConfig candidate(ConfigOverrides overrides) {
        GatewayConfig next = overrides.over(file);
        ConfigLoader.validate(next);
        return next;
      }

      @Override
      public void reload() {
        // no router here: the gateways reload on the change's event or their next check
      }

      @Override
      public void pricesChanged() {
        // no price book here: the gateways re-read on the change's event
      }
    };
  }
}
