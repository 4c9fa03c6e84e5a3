package io.tokenrouter.config;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings environment variables may override, read from the configuration records: every
 * top-level scalar ({@code mode}) and every scalar or list of a section record ({@code server},
 * {@code database}, ...). Lists of records (providers, models, namespaces) are file-only.
 */
final class OverridableSettings {
  private OverridableSettings() {}

  /** By variable name: TOKENROUTER_SERVER_PORT → server.port. */
  static Map<String, ConfigLoader.Setting> all() {
    Map<String, ConfigLoader.Setting> settings = new LinkedHashMap<>();
    for (RecordComponent top : GatewayConfig.class.getRecordComponents()) {
      String section = snake(top.getName());
      if (top.getType().isRecord()) {
        for (RecordComponent c : top.getType().getRecordComponents()) {
          if (!c.getType().isRecord()) {
            add(settings, new ConfigLoader.Setting(section, snake(c.getName()),
                Collection.class.isAssignableFrom(c.getType())));
          }
        }
      } else if (!Collection.class.isAssignableFrom(top.getType())) {
        add(settings, new ConfigLoader.Setting(null, section, false));
      }
    }
    return settings;
  }

  private static void add(Map<String, ConfigLoader.Setting> settings, ConfigLoader.Setting s) {
    settings.put(ConfigLoader.ENV_PREFIX + s.path().replace('.', '_').toUpperCase(Locale.ROOT), s);
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
