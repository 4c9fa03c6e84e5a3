package io.tokenrouter.admin;

import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.store.OverrideRepository.StoredProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The providers, as seed 004's {@code /admin/providers}: listed and read with every setting but
 * the secrets (a key shows only that it is set and its last four characters), changed
 * ({@code PATCH}: enabled, base URL, timeouts, retries, connections, weights, keys), added
 * ({@code POST}) and removed again ({@code DELETE}, only what was added here). Changes are kept
 * in the database over the configuration file's settings (see {@link ConfigChanges}); keys are
 * sealed under the master key and never answered.
 */
final class ProvidersResource implements AdminResource {
  static final String RESOURCE = "provider";
  private static final Set<String> EDITABLE = Set.of("enabled", "base_url", "api_key", "api_keys",
      StoredOverrides.TIMEOUT, StoredOverrides.CONNECT_TIMEOUT, StoredOverrides.FIRST_BYTE_TIMEOUT,
      StoredOverrides.IDLE_TIMEOUT, StoredOverrides.MAX_RETRIES, StoredOverrides.MAX_CONNECTIONS,
      StoredOverrides.WEIGHTS);
  private static final Set<String> CREATE = union(EDITABLE, Set.of("name", "type"));
  /** Shorter keys show no characters at all: four would be too much of them. */
  private static final int SHOWN_FROM_LENGTH = 16;
  private final AdminContext admin;
  private final ConfigChanges changes;

  ProvidersResource(AdminContext admin, ConfigChanges changes) {
    this.admin = admin;
    this.changes = changes;
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/providers").handler(ctx -> admin.exchange().run(ctx, this::list));
    r.post("/admin/providers").handler(ctx -> admin.exchange().run(ctx, () -> create(ctx)));
    r.get("/admin/providers/:id").handler(ctx -> admin.exchange().run(ctx, () -> read(ctx)));
    r.patch("/admin/providers/:id").handler(ctx -> admin.exchange().run(ctx, () -> change(ctx)));
    r.delete("/admin/providers/:id").handler(ctx -> admin.exchange().run(ctx, () -> remove(ctx)));
  }

  private Reply list() {
    GatewayConfig config = changes.current();
    Map<String, StoredProvider> stored = storedByName();
    JsonArray data = new JsonArray();
    for (ProviderConfig p : config.providers()) {
      data.add(json(config, p, stored.get(p.name())));
    }
    return Reply.ok(new JsonObject().put("object", "list").put("data", data));
  }

  private Reply read(RoutingContext ctx) {
    String name = ctx.pathParam("id");
    GatewayConfig config = changes.current();
    ProviderConfig p = find(config, name);
    return Reply.ok(json(config, p, storedByName().get(name)));
  }

  private Reply create(RoutingContext ctx) {
    Input in = Input.of(ctx, CREATE);
    String name = in.requiredText("name");
    String type = in.requiredText("type");
    if (name.contains("/") || name.contains("*")) {
      throw AdminError.badRequest("name", "'name' may not hold / or *; it names the provider in model mappings.");
    }
    if (changes.current().providers().stream().anyMatch(p -> p.name().equals(name))) {
      throw AdminError.conflict("A provider named '" + name + "' exists; change it with PATCH /admin/providers/"
          + name + ".");
    }
    StoredProvider fresh = new StoredProvider(UUID.randomUUID(), name, type, null, null, null, null, true,
        admin.clock().instant());
    Reply reply = changes.apply("adding provider " + name, c -> {
      changes.stored().rows().save(c, patched(fresh, in));
      admin.audit().record(c, admin.origin(ctx), "create", RESOURCE, name, new JsonObject().put("set", in.raw()));
      return null;
    }, config -> json(config, find(config, name), storedByName().get(name)));
    return new Reply(201, reply.json(), null, reply.events());
  }

  private Reply change(RoutingContext ctx) {
    String name = ctx.pathParam("id");
    Input in = Input.of(ctx, EDITABLE);
    GatewayConfig before = changes.current();
    ProviderConfig was = find(before, name);
    JsonObject previous = json(before, was, storedByName().get(name));
    if (in.has(StoredOverrides.WEIGHTS)) {
      checkWeights(before, name, in.raw().getValue(StoredOverrides.WEIGHTS));
    }
    return changes.apply("changing provider " + name, c -> {
      StoredProvider row = changes.stored().rows().provider(c, name).orElse(new StoredProvider(UUID.randomUUID(),
          name, null, null, null, null, null, false, admin.clock().instant()));
      changes.stored().rows().save(c, patched(row, in));
      JsonObject previously = new JsonObject();
      for (String field : in.raw().fieldNames()) {
        previously.put(field, previous.getValue(field));
      }
      admin.audit().record(c, admin.origin(ctx), "update", RESOURCE, name, new JsonObject().put("set", in.raw())
          .put("was", previously));
      return null;
    }, config -> json(config, find(config, name), storedByName().get(name)));
  }

  /** Only a provider added here can be removed here; a file's provider is removed from the file. */
  private Reply remove(RoutingContext ctx) {
    String name = ctx.pathParam("id");
    find(changes.current(), name);
    StoredProvider row = storedByName().get(name);
    if (row == null || !row.added()) {
      throw AdminError.conflict("Provider '" + name + "' comes from the configuration file; remove it there, or"
          + " switch it off with PATCH /admin/providers/" + name + " {\"enabled\": false}.");
    }
    return changes.apply("removing provider " + name, c -> {
      changes.stored().rows().deleteProvider(c, name);
      admin.audit().record(c, admin.origin(ctx), "delete", RESOURCE, name, new JsonObject()
          .put("was", new JsonObject().put("type", row.type()).put("base_url", row.baseUrl())));
      return null;
    }, config -> new JsonObject().put("object", RESOURCE).put("id", name).put("deleted", true));
  }

  /** {@code row} with the fields {@code in} sets; a field set to null goes back to the file's value. */
  private StoredProvider patched(StoredProvider row, Input in) {
    JsonObject body = in.raw();
    Boolean enabled = row.enabled();
    if (body.containsKey("enabled")) {
      Object v = body.getValue("enabled");
      if (v != null && !(v instanceof Boolean)) {
        throw AdminError.badRequest("enabled", "'enabled' must be true or false.");
      }
      enabled = (Boolean) v;
    }
    String baseUrl = body.containsKey("base_url") ? in.text("base_url") : row.baseUrl();
    String sealed = row.sealedKeys();
    if (body.containsKey("api_key") || body.containsKey("api_keys")) {
      List<String> keys = body.containsKey("api_keys") ? in.strings("api_keys")
          : in.text("api_key") == null ? List.of() : List.of(in.text("api_key"));
      if (body.containsKey("api_key") && body.containsKey("api_keys")) {
        throw AdminError.badRequest("api_keys", "Set api_key or api_keys, not both.");
      }
      sealed = keys.isEmpty() ? null : changes.stored().seal(row.name(), keys);
    }
    JsonObject settings = row.settings() == null ? new JsonObject() : new JsonObject(row.settings());
    for (String field : List.of(StoredOverrides.TIMEOUT, StoredOverrides.CONNECT_TIMEOUT,
        StoredOverrides.FIRST_BYTE_TIMEOUT, StoredOverrides.IDLE_TIMEOUT)) {
      if (body.containsKey(field)) {
        settings.put(field, in.positiveLong(field));
      }
    }
    if (body.containsKey(StoredOverrides.MAX_CONNECTIONS)) {
      settings.put(StoredOverrides.MAX_CONNECTIONS, in.positiveInt(StoredOverrides.MAX_CONNECTIONS));
    }
    if (body.containsKey(StoredOverrides.MAX_RETRIES)) {
      Object v = body.getValue(StoredOverrides.MAX_RETRIES);
      if (v != null && !(v instanceof Integer || v instanceof Long)) {
        throw AdminError.badRequest(StoredOverrides.MAX_RETRIES, "'max_retries' must be a whole number from 0, or"
            + " null for the routing section's retry.per_target.");
      }
      settings.put(StoredOverrides.MAX_RETRIES, v == null ? null : ((Number) v).intValue());
    }
    if (body.containsKey(StoredOverrides.WEIGHTS)) {
      JsonObject weights = settings.getJsonObject(StoredOverrides.WEIGHTS, new JsonObject());
      Object v = body.getValue(StoredOverrides.WEIGHTS);
      if (!(v instanceof JsonObject given)) {
        throw AdminError.badRequest(StoredOverrides.WEIGHTS, "'weights' must map model names to weights, e.g."
            + " {\"gpt-4o-mini\": 3}.");
      }
      given.forEach(e -> {
        if (e.getValue() == null) {
          weights.remove(e.getKey()); // back to the file's weight
        } else {
          weights.put(e.getKey(), e.getValue());
        }
      });
      settings.put(StoredOverrides.WEIGHTS, weights);
    }
    settings = withoutNulls(settings);
    return new StoredProvider(row.id(), row.name(), row.type(), enabled, baseUrl, sealed,
        settings.isEmpty() ? null : settings.encode(), row.added(), admin.clock().instant());
  }

  /** Each weight a whole number from 0 (or null: the file's) for a model this provider serves. */
  private static void checkWeights(GatewayConfig config, String provider, Object given) {
    if (!(given instanceof JsonObject weights)) {
      return;
    }
    for (Map.Entry<String, Object> e : weights) {
      if (e.getValue() == null) {
        continue;
      }
      if (!(e.getValue() instanceof Integer || e.getValue() instanceof Long) || ((Number) e.getValue()).longValue() < 0) {
        throw AdminError.badRequest(StoredOverrides.WEIGHTS, "The weight of '" + e.getKey() + "' must be a whole"
            + " number from 0 (0: only as a fallback); was " + e.getValue() + ".");
      }
      boolean served = config.models().stream().anyMatch(m -> m.name().equals(e.getKey())
          && m.targets().stream().anyMatch(t -> t.provider().equals(provider)));
      if (!served) {
        throw AdminError.badRequest(StoredOverrides.WEIGHTS, "Provider '" + provider + "' serves no model mapping"
            + " named '" + e.getKey() + "'; weights are per model mapping this provider is a target of.");
      }
    }
  }

  private static JsonObject withoutNulls(JsonObject o) {
    JsonObject out = new JsonObject();
    o.forEach(e -> {
      if (e.getValue() != null) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  private Map<String, StoredProvider> storedByName() {
    Map<String, StoredProvider> byName = new HashMap<>();
    admin.tx().run("reading stored providers", c -> {
      changes.stored().rows().all(c).providers().forEach(p -> byName.put(p.name(), p));
      return null;
    });
    return byName;
  }

  private static ProviderConfig find(GatewayConfig config, String name) {
    return config.providers().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> AdminError.notFound("No provider is named '" + name + "'. GET /admin/providers lists"
            + " them."));
  }

  /** A provider as the API shows it: its keys never, only how many and how each ends. */
  private static JsonObject json(GatewayConfig config, ProviderConfig p, StoredProvider stored) {
    List<String> models = new ArrayList<>();
    JsonObject weights = new JsonObject();
    for (ModelConfig m : config.models()) {
      for (TargetConfig t : m.targets()) {
        if (t.provider().equals(p.name()) && !models.contains(m.name())) {
          models.add(m.name());
          weights.put(m.name(), t.weight());
        }
      }
    }
    JsonObject view = ConfigView.of(p);
    view.remove("api_key");
    view.remove("api_keys");
    if (!ProviderConfig.MOCK.equals(p.type())) {
      view.remove("mock"); // the mock's own settings, filled in with defaults for every provider
    }
    JsonArray endings = new JsonArray();
    p.keys().forEach(k -> endings.add(k.length() >= SHOWN_FROM_LENGTH ? "…" + k.substring(k.length() - 4) : "…"));
    JsonObject out = new JsonObject().put("object", RESOURCE).put("id", p.name()).mergeIn(view)
        .put("enabled", p.enabled()).put("max_retries", p.maxRetries())
        .put(StoredOverrides.TIMEOUT, p.timeouts().total().toMillis())
        .put(StoredOverrides.CONNECT_TIMEOUT, p.timeouts().connect().toMillis())
        .put(StoredOverrides.FIRST_BYTE_TIMEOUT, p.timeouts().firstByte().toMillis())
        .put(StoredOverrides.IDLE_TIMEOUT, p.timeouts().idle().toMillis())
        .put("api_key", new JsonObject().put("set", !p.keys().isEmpty()).put("count", p.keys().size())
            .put("ends_with", endings).put("stored_encrypted", stored != null && stored.sealedKeys() != null))
        .put(StoredOverrides.WEIGHTS, weights).put("models", new JsonArray(models));
    out.put("source", stored == null ? "configuration" : stored.added() ? "admin" : "configuration+admin");
    out.put("updated_at", Optional.ofNullable(stored).map(s -> s.updatedAt().toString()).orElse(null));
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
