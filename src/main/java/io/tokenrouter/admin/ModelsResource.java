package io.tokenrouter.admin;

import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.RouteConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.store.OverrideRepository.StoredModel;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model mappings ({@code /admin/models}): each model name (or alias, or wildcard pattern)
 * clients send and the provider models that serve it, with weight and priority; listed, read,
 * added ({@code POST}), changed ({@code PATCH}) and removed ({@code DELETE}). A name holding
 * {@code /} ({@code deepseek/*}) is written as it is in the path. Changes are kept in the
 * database over the configuration file's mappings (see {@link ConfigChanges}); the custom relay
 * routes are listed too, and change with the file only.
 */
final class ModelsResource implements AdminResource {
  static final String RESOURCE = "model_mapping";
  private static final String ONE = "/admin/models/(?<name>.+)";
  private static final Set<String> EDITABLE = Set.of("aliases", "strategy", "targets");
  private static final Set<String> CREATE = Set.of("name", "aliases", "strategy", "targets");
  private final AdminContext admin;
  private final ConfigChanges changes;
  private final GatewayConfig file;

  /** @param file the configuration file's settings: the custom routes are listed from it */
  ModelsResource(AdminContext admin, ConfigChanges changes, GatewayConfig file) {
    this.admin = admin;
    this.changes = changes;
    this.file = file;
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/models").handler(ctx -> admin.exchange().run(ctx, this::list));
    r.post("/admin/models").handler(ctx -> admin.exchange().run(ctx, () -> create(ctx)));
    r.routeWithRegex(HttpMethod.GET, ONE).handler(ctx -> admin.exchange().run(ctx, () -> read(ctx)));
    r.routeWithRegex(HttpMethod.PATCH, ONE).handler(ctx -> admin.exchange().run(ctx, () -> change(ctx)));
    r.routeWithRegex(HttpMethod.DELETE, ONE).handler(ctx -> admin.exchange().run(ctx, () -> remove(ctx)));
  }

  private Reply list() {
    GatewayConfig config = changes.current();
    Map<String, StoredModel> stored = storedByName();
    JsonArray data = new JsonArray();
    for (ModelConfig m : config.models()) {
      data.add(json(m, stored.get(m.name())));
    }
    JsonArray routes = new JsonArray();
    for (RouteConfig route : file.routes()) {
      routes.add(new JsonObject().put("object", "route").mergeIn(ConfigView.of(route)));
    }
    return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("routes", routes));
  }

  private Reply read(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    return Reply.ok(json(find(changes.current(), name), storedByName().get(name)));
  }

  private Reply create(RoutingContext ctx) {
    Input in = Input.of(ctx, CREATE);
    String name = in.requiredText("name");
    if (!in.has("targets")) {
      throw AdminError.badRequest("targets", "'targets' is required: the providers and their model names that"
          + " serve it, e.g. [{\"provider\": \"openai\", \"model\": \"gpt-4o-mini\"}].");
    }
    if (changes.current().models().stream().anyMatch(m -> m.name().equals(name))) {
      throw AdminError.conflict("A model mapping named '" + name + "' exists; change it with PATCH /admin/models/"
          + name + ".");
    }
    ModelConfig model = new ModelConfig(name, aliases(in, List.of()), strategy(in, null), targets(in), null);
    Reply reply = store(ctx, "create", model, in);
    return new Reply(201, reply.json(), null, reply.events());
  }

  private Reply change(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Input in = Input.of(ctx, EDITABLE);
    ModelConfig was = find(changes.current(), name);
    ModelConfig model = new ModelConfig(name, aliases(in, was.aliases()), strategy(in, was.strategy()),
        in.has("targets") ? targets(in) : was.targets(), null);
    return store(ctx, "update", model, in);
  }

  private Reply store(RoutingContext ctx, String action, ModelConfig model, Input in) {
    String name = model.name();
    return changes.apply((action.equals("create") ? "adding" : "changing") + " model mapping " + name, c -> {
      changes.stored().rows().save(c, new StoredModel(name, StoredOverrides.definition(model).encode(), false,
          admin.clock().instant()));
      admin.audit().record(c, admin.origin(ctx), action, RESOURCE, name, new JsonObject().put("set", in.raw()));
      return null;
    }, config -> json(find(config, name), new StoredModel(name, null, false, admin.clock().instant())));
  }

  /** A mapping added here is forgotten; one from the file is hidden by a stored removal. */
  private Reply remove(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    ModelConfig was = find(changes.current(), name);
    boolean inFile = file.models().stream().anyMatch(m -> m.name().equals(name));
    return changes.apply("removing model mapping " + name, c -> {
      if (inFile) {
        changes.stored().rows().save(c, new StoredModel(name, null, true, admin.clock().instant()));
      } else {
        changes.stored().rows().deleteModel(c, name);
      }
      admin.audit().record(c, admin.origin(ctx), "delete", RESOURCE, name, new JsonObject()
          .put("was", StoredOverrides.definition(was)));
      return null;
    }, config -> new JsonObject().put("object", RESOURCE).put("id", name).put("deleted", true));
  }

  private static List<String> aliases(Input in, List<String> current) {
    return in.has("aliases") ? in.strings("aliases") : current;
  }

  private static String strategy(Input in, String current) {
    return in.has("strategy") ? in.text("strategy") : current;
  }

  /** The targets as sent; what they name (providers, strategies) is checked with the whole configuration. */
  private static List<TargetConfig> targets(Input in) {
    Object v = in.raw().getValue("targets");
    if (!(v instanceof JsonArray array) || array.isEmpty()) {
      throw AdminError.badRequest("targets", "'targets' must be a non-empty list of {provider, model, weight,"
          + " priority}.");
    }
    List<TargetConfig> targets = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "targets[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject t)) {
        throw AdminError.badRequest("targets", "'" + at + "' must be an object like {\"provider\": \"openai\","
            + " \"model\": \"gpt-4o-mini\"}.");
      }
      for (String field : t.fieldNames()) {
        if (!Set.of("provider", "model", "weight", "priority").contains(field)) {
          throw AdminError.badRequest("targets", "'" + at + "' has the unknown field '" + field + "'; a target has"
              + " provider, model, weight and priority.");
        }
      }
      if (!(t.getValue("provider") instanceof String provider) || provider.isBlank()) {
        throw AdminError.badRequest("targets", "'" + at + ".provider' is required: a provider's name.");
      }
      Object model = t.getValue("model");
      if (model != null && !(model instanceof String)) {
        throw AdminError.badRequest("targets", "'" + at + ".model' must be the provider's model name.");
      }
      targets.add(new TargetConfig(provider, (String) model, whole(t, "weight", at), whole(t, "priority", at)));
    }
    return targets;
  }

  private static Integer whole(JsonObject t, String field, String at) {
    Object v = t.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0
        || ((Number) v).longValue() > Integer.MAX_VALUE) {
      throw AdminError.badRequest("targets", "'" + at + "." + field + "' must be a whole number from 0; was " + v
          + ".");
    }
    return ((Number) v).intValue();
  }

  private Map<String, StoredModel> storedByName() {
    Map<String, StoredModel> byName = new HashMap<>();
    admin.tx().run("reading stored model mappings", c -> {
      changes.stored().rows().all(c).models().forEach(m -> byName.put(m.name(), m));
      return null;
    });
    return byName;
  }

  private static ModelConfig find(GatewayConfig config, String name) {
    return config.models().stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> AdminError.notFound("No model mapping is named '" + name + "'. GET /admin/models lists"
            + " them."));
  }

  private static JsonObject json(ModelConfig m, StoredModel stored) {
    return new JsonObject().put("object", RESOURCE).put("id", m.name()).mergeIn(ConfigView.of(m))
        .put("source", stored == null ? "configuration" : "admin")
        .put("updated_at", Optional.ofNullable(stored).map(s -> s.updatedAt().toString()).orElse(null));
  }
}
