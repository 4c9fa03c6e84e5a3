package io.tokenrouter.admin;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigOverrides;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.secrets.SecretBox;
import io.tokenrouter.store.OverrideRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The admin API's provider and model changes as the database keeps them, turned into
 * {@link ConfigOverrides}: provider keys sealed with AES-256-GCM under the master key
 * ({@link SecretBox}, bound to the provider's name), other settings as JSON under the names the
 * API takes them by.
 */
public final class StoredOverrides {
  static final String TIMEOUT = "timeout_ms";
  static final String CONNECT_TIMEOUT = "connect_timeout_ms";
  static final String FIRST_BYTE_TIMEOUT = "first_byte_timeout_ms";
  static final String IDLE_TIMEOUT = "idle_timeout_ms";
  static final String MAX_RETRIES = "max_retries";
  static final String MAX_CONNECTIONS = "max_connections";
  static final String WEIGHTS = "weights";
  private final OverrideRepository rows;
  private final Optional<SecretBox> box;

  public StoredOverrides(DataSource ds, Optional<SecretBox> box) {
    this.rows = new OverrideRepository(ds);
    this.box = box;
  }

  /**
   * What is stored now (blocking).
   *
   * @throws ConfigException when provider keys are stored and the master key to open them is not set
   */
  public ConfigOverrides read() {
    return of(rows.all());
  }

  ConfigOverrides read(Connection c) throws SQLException {
    return of(rows.all(c));
  }

  OverrideRepository rows() {
    return rows;
  }

  /** Whether provider keys can be stored: the master key is set. */
  boolean canSeal() {
    return box.isPresent();
  }

  String seal(String provider, List<String> keys) {
    SecretBox secrets = box.orElseThrow(() -> new AdminError(400, "Storing a provider's API key needs the secrets"
        + " master key, which encrypts it: set " + SecretBox.ENV + " to a base64 32-byte key (generate one with"
        + " `openssl rand -base64 32`) in the gateway's environment and restart it. Or keep the key in the"
        + " configuration file as api_key: ${ENV_VAR}.", "invalid_request_error", "api_key", "master_key_missing"));
    return secrets.seal(new JsonArray(keys).encode(), context(provider));
  }

  private ConfigOverrides of(OverrideRepository.Stored stored) {
    List<ConfigOverrides.ProviderChange> providers = new ArrayList<>();
    for (OverrideRepository.StoredProvider p : stored.providers()) {
      providers.add(change(p, keys(p)));
    }
    List<ConfigOverrides.ModelChange> models = new ArrayList<>();
    for (OverrideRepository.StoredModel m : stored.models()) {
      models.add(new ConfigOverrides.ModelChange(m.name(), m.removed() ? null
          : model(m.name(), new JsonObject(m.definition()))));
    }
    return new ConfigOverrides(providers, models);
  }

  private List<String> keys(OverrideRepository.StoredProvider p) {
    if (p.sealedKeys() == null) {
      return null;
    }
    SecretBox secrets = box.orElseThrow(() -> new ConfigException(SecretBox.ENV + ": provider " + p.name()
        + "'s API keys are stored encrypted by the admin API and cannot be read without the master key; set it to"
        + " the base64 key they were encrypted with"));
    try {
      List<String> keys = new ArrayList<>();
      new JsonArray(secrets.open(p.sealedKeys(), context(p.name()))).forEach(k -> keys.add((String) k));
      return keys;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SecretBox.ENV + ": provider " + p.name() + "'s stored API keys: " + e.getMessage());
    }
  }

  private static ConfigOverrides.ProviderChange change(OverrideRepository.StoredProvider p, List<String> keys) {
    JsonObject s = p.settings() == null ? new JsonObject() : new JsonObject(p.settings());
    Map<String, Integer> weights = new LinkedHashMap<>();
    s.getJsonObject(WEIGHTS, new JsonObject()).forEach(e -> weights.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return new ConfigOverrides.ProviderChange(p.name(), p.added() ? p.type() : null, p.enabled(), p.baseUrl(),
        millis(s, CONNECT_TIMEOUT), millis(s, FIRST_BYTE_TIMEOUT), millis(s, IDLE_TIMEOUT), millis(s, TIMEOUT),
        s.getInteger(MAX_RETRIES), s.getInteger(MAX_CONNECTIONS), keys, weights);
  }

  private static Duration millis(JsonObject settings, String field) {
    Long ms = settings.getLong(field);
    return ms == null ? null : Duration.ofMillis(ms);
  }

  /** A mapping from its stored (and API) JSON: aliases, strategy, targets. */
  static ModelConfig model(String name, JsonObject definition) {
    List<String> aliases = new ArrayList<>();
    definition.getJsonArray("aliases", new JsonArray()).forEach(a -> aliases.add((String) a));
    List<TargetConfig> targets = new ArrayList<>();
    for (Object t : definition.getJsonArray("targets", new JsonArray())) {
      JsonObject target = (JsonObject) t;
      targets.add(new TargetConfig(target.getString("provider"), target.getString("model"),
          target.getInteger("weight"), target.getInteger("priority")));
    }
    return new ModelConfig(name, aliases, definition.getString("strategy"), targets, null);
  }

  static JsonObject definition(ModelConfig m) {
    JsonArray targets = new JsonArray();
    for (TargetConfig t : m.targets()) {
      targets.add(new JsonObject().put("provider", t.provider()).put("model", t.model()).put("weight", t.weight())
          .put("priority", t.priority()));
    }
    return new JsonObject().put("aliases", new JsonArray(new ArrayList<>(m.aliases()))).put("strategy", m.strategy())
        .put("targets", targets);
  }

  /** Binds a sealed key to its provider, so a sealed value copied to another row does not open there. */
  private static String context(String provider) {
    return "provider:" + provider;
  }
}
