package io.tokenrouter.admin;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.PipelineConfig;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.KeyQuery;
import io.tokenrouter.store.KeyState;
import io.tokenrouter.store.Page;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Virtual keys, as seed 004's {@code /admin/api-keys}: created with the raw key answered once
 * (only its hash is stored), listed, read, changed (limits, budgets, allowlist, expiry, enabled or
 * disabled) and revoked for good.
 */
final class KeysResource implements AdminResource {
  static final String RESOURCE = "api_key";
  private static final Set<String> EDITABLE = LimitFields.with("name", "project_id", "allowed_models", "expires_at",
      "status", "pipeline_off");
  private static final Set<String> CREATE = LimitFields.with("name", "project_id", "allowed_models", "expires_at",
      "status", "user", "user_id", "pipeline_off");
  private static final Set<String> LIST_PARAMS = Set.of("user", "user_id", "project_id", "state", "name", "limit",
      "offset");
  private final AdminContext admin;
  private final ApiKeyRepository keys;
  private final UserRepository users;

  KeysResource(AdminContext admin) {
    this.admin = admin;
    this.keys = new ApiKeyRepository(admin.ds());
    this.users = new UserRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.post("/admin/api-keys").handler(ctx -> admin.exchange().run(ctx, () -> create(ctx)));
    r.get("/admin/api-keys").handler(ctx -> admin.exchange().run(ctx, () -> list(ctx)));
    r.get("/admin/api-keys/:id").handler(ctx -> admin.exchange().run(ctx, () -> Reply.ok(json(find(ctx)))));
    r.patch("/admin/api-keys/:id").handler(ctx -> admin.exchange().run(ctx, () -> change(ctx)));
    r.delete("/admin/api-keys/:id").handler(ctx -> admin.exchange().run(ctx, () -> revoke(ctx)));
  }

  private Reply create(RoutingContext ctx) {
    Input in = Input.of(ctx, CREATE);
    String name = in.requiredText("name");
    String userField = in.has("user") ? "user" : "user_id";
    String userRef = in.text(userField);
    UUID userId = userRef == null ? null : UsersResource.resolve(users, userRef)
        .map(StoredUser::id)
        .orElseThrow(() -> AdminError.badRequest(userField, "No user has the email or id '" + userRef + "'."));
    String raw = ApiKeys.generate();
    StoredKey key = new StoredKey(UUID.randomUUID(), name, ApiKeys.hash(raw), ApiKeys.displayPrefix(raw),
        in.strings("allowed_models"), false, in.expiry("expires_at"), admin.clock().instant(), userId,
        in.text("project_id"), LimitFields.read(in), disabled(in, false), pipelineOff(in));
    admin.tx().run("creating key " + key.id(), c -> {
      keys.insert(c, key);
      admin.audit().record(c, admin.origin(ctx), "create", RESOURCE, key.id().toString(), new JsonObject()
          .put("set", in.raw()));
      return null;
    });
    return Reply.created(json(key).put("raw_key", raw));
  }

  private Reply list(RoutingContext ctx) {
    Query q = Query.of(ctx, LIST_PARAMS);
    UUID userId = null;
    String userRef = q.text("user") != null ? q.text("user") : q.text("user_id");
    if (userRef != null) {
      userId = UsersResource.resolve(users, userRef).map(StoredUser::id).orElse(null);
      if (userId == null) {
        return Reply.ok(page(new Page<>(List.of(), 0, q.offset())));
      }
    }
    KeyState state = null;
    if (q.text("state") != null) {
      String s = q.text("state").toLowerCase(Locale.ROOT);
      try {
        state = KeyState.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw AdminError.badRequest("state", "'state' must be one of active, disabled, revoked, expired; was '"
            + q.text("state") + "'.");
      }
    }
    return Reply.ok(page(keys.list(new KeyQuery(userId, q.text("project_id"), state, q.text("name"),
        admin.clock().instant(), q.offset(), q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT)))));
  }

  private Reply change(RoutingContext ctx) {
    UUID id = Query.uuid("id", ctx.pathParam("id"));
    Input in = Input.of(ctx, EDITABLE);
    return admin.tx().run("changing key " + id, c -> {
      StoredKey was = keys.find(c, id).orElseThrow(() -> AdminError.notFound("No key has the id " + id + "."));
      if (was.revoked()) {
        throw AdminError.conflict("Key " + id + " is revoked; a revoked key cannot be changed. Create a new one.");
      }
      Limits limits = LimitFields.patch(was.limits(), in);
      StoredKey now = new StoredKey(was.id(), in.has("name") ? in.requiredText("name") : was.name(), was.keyHash(),
          was.keyPrefix(), in.has("allowed_models") ? in.strings("allowed_models") : was.models(), false,
          in.has("expires_at") ? in.expiry("expires_at") : was.expiresAt(), was.createdAt(), was.userId(),
          in.has("project_id") ? in.text("project_id") : was.project(), limits, disabled(in, was.disabled()),
          in.has("pipeline_off") ? pipelineOff(in) : was.pipelineOff());
      keys.update(c, now);
      JsonObject before = json(was);
      JsonObject previous = new JsonObject();
      for (String field : in.raw().fieldNames()) {
        previous.put(field, before.getValue(field));
      }
      admin.audit().record(c, admin.origin(ctx), "update", RESOURCE, id.toString(), new JsonObject()
          .put("set", in.raw()).put("was", previous));
      return Reply.changed(json(now), List.of(new ClusterEvent.KeyChanged(now.keyHash())));
    });
  }

  /** Revoked for good; revoking again answers the same. */
  private Reply revoke(RoutingContext ctx) {
    UUID id = Query.uuid("id", ctx.pathParam("id"));
    return admin.tx().run("revoking key " + id, c -> {
      StoredKey was = keys.find(c, id).orElseThrow(() -> AdminError.notFound("No key has the id " + id + "."));
      StoredKey now = new StoredKey(was.id(), was.name(), was.keyHash(), was.keyPrefix(), was.models(), true,
          was.expiresAt(), was.createdAt(), was.userId(), was.project(), was.limits(), was.disabled(),
          was.pipelineOff());
      if (!was.revoked()) {
        keys.update(c, now);
        admin.audit().record(c, admin.origin(ctx), "revoke", RESOURCE, id.toString(), new JsonObject()
            .put("was", new JsonObject().put("status", was.state(admin.clock().instant()).label())));
      }
      return Reply.changed(json(now).put("revoked", true), List.of(new ClusterEvent.KeyChanged(now.keyHash())));
    });
  }

  private StoredKey find(RoutingContext ctx) {
    UUID id = Query.uuid("id", ctx.pathParam("id"));
    return keys.find(id).orElseThrow(() -> AdminError.notFound("No key has the id " + id + "."));
  }

  /** status: "enabled" (or "active") and "disabled", as seed 004 writes them. */
  private static boolean disabled(Input in, boolean current) {
    String status = in.text("status");
    if (status == null) {
      return current;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "enabled", "active" -> false;
      case "disabled" -> true;
      default -> throw AdminError.badRequest("status", "'status' must be enabled or disabled (revoke a key with"
          + " DELETE /admin/api-keys/{id}); was '" + status + "'.");
    };
  }

  private JsonObject page(Page<StoredKey> page) {
    JsonArray data = new JsonArray();
    page.items().forEach(k -> data.add(json(k)));
    return Listing.page(data, page);
  }

  /** The prompt pipeline stages a key turns off, each a known stage name. */
  private static List<String> pipelineOff(Input in) {
    List<String> names = new ArrayList<>();
    for (String name : in.strings("pipeline_off")) {
      PipelineConfig.Stage stage = PipelineConfig.Stage.parse(name);
      if (stage == null) {
        throw AdminError.badRequest("pipeline_off", "'" + name + "' is not a pipeline stage; the stages are "
            + Arrays.stream(PipelineConfig.Stage.values()).map(PipelineConfig.Stage::configName)
                .collect(Collectors.joining(", ")) + ".");
      }
      names.add(stage.configName());
    }
    return names;
  }

  /** A key as the API shows it: never its hash, never the key. */
  private JsonObject json(StoredKey k) {
    JsonObject out = new JsonObject().put("object", "api_key").put("id", k.id().toString()).put("name", k.name())
        .put("key_prefix", k.keyPrefix()).put("status", k.state(admin.clock().instant()).label())
        .put("project_id", k.project()).put("user_id", k.userId() == null ? null : k.userId().toString())
        .put("allowed_models", new JsonArray(new ArrayList<>(k.models())));
    LimitFields.write(out, k.limits());
    out.put("pipeline_off", new JsonArray(new ArrayList<>(k.pipelineOff())));
    return out.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString())
        .put("created_at", k.createdAt().toString());
  }
}
