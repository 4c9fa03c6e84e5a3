package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.config.Suggestions;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Page;
import io.tokenrouter.store.StoredPlan;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserQuery;
import io.tokenrouter.store.UserRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Users (seed 000): created on a plan, listed, read, and changed (plan, quota, price multiplier,
 * limits). A change drops the user's keys from every instance's auth cache, so it applies to the
 * next request.
 */
final class UsersResource implements AdminResource {
  static final String RESOURCE = "user";
  private static final Set<String> EDITABLE = LimitFields.with("name", "plan", "monthly_token_quota",
      "price_multiplier");
  private static final Set<String> CREATE = LimitFields.with("email", "name", "plan", "monthly_token_quota",
      "price_multiplier");
  private static final Set<String> LIST_PARAMS = Set.of("plan", "email", "limit", "offset");
  private final AdminContext admin;
  private final UserRepository users;
  private final ApiKeyRepository keys;

  UsersResource(AdminContext admin) {
    this.admin = admin;
    this.users = new UserRepository(admin.ds());
    this.keys = new ApiKeyRepository(admin.ds());
  }

  /** A user by id, or by email when the reference is not an id. */
  static Optional<StoredUser> resolve(UserRepository users, String emailOrId) {
    try {
      return users.find(UUID.fromString(emailOrId));
    } catch (IllegalArgumentException notAnId) {
      return users.findByEmail(emailOrId);
    }
  }

  @Override
  public void mount(Router r) {
    r.post("/admin/users").handler(ctx -> admin.exchange().run(ctx, () -> create(ctx)));
    r.get("/admin/users").handler(ctx -> admin.exchange().run(ctx, () -> list(ctx)));
    r.get("/admin/users/:id").handler(ctx -> admin.exchange().run(ctx, () -> Reply.ok(json(find(ctx)))));
    r.patch("/admin/users/:id").handler(ctx -> admin.exchange().run(ctx, () -> change(ctx)));
  }

  private Reply create(RoutingContext ctx) {
    Input in = Input.of(ctx, CREATE);
    String email = in.requiredText("email");
    if (!email.matches("[^@\\s]+@[^@\\s]+")) {
      throw AdminError.badRequest("email", "'" + email + "' is not an email address.");
    }
    String plan = in.has("plan") ? in.requiredText("plan") : "free";
    StoredUser user = new StoredUser(UUID.randomUUID(), email, in.has("name") ? in.requiredText("name") : email,
        plan, in.positiveLong("monthly_token_quota"), multiplier(in), LimitFields.read(in), admin.clock().instant());
    admin.tx().run("creating user " + email, c -> {
      requirePlan(c, plan);
      Optional<StoredUser> taken = users.findByEmail(email);
      if (taken.isPresent()) {
        throw AdminError.conflict("A user with the email " + email + " already exists (id " + taken.get().id()
            + "); change that user with PATCH /admin/users/" + taken.get().id() + ".");
      }
      users.insert(c, user);
      admin.audit().record(c, admin.origin(ctx), "create", RESOURCE, user.id().toString(),
          new JsonObject().put("set", in.raw()));
      return null;
    });
    return Reply.created(json(user));
  }

  private Reply list(RoutingContext ctx) {
    Query q = Query.of(ctx, LIST_PARAMS);
    Page<StoredUser> page = users.list(new UserQuery(q.text("plan"), q.text("email"), q.offset(),
        q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT)));
    JsonArray data = new JsonArray();
    page.items().forEach(u -> data.add(json(u)));
    return Reply.ok(Listing.page(data, page));
  }

  private Reply change(RoutingContext ctx) {
    UUID id = Query.uuid("id", ctx.pathParam("id"));
    Input in = Input.of(ctx, EDITABLE);
    return admin.tx().run("changing user " + id, c -> {
      StoredUser was = users.find(c, id).orElseThrow(() -> AdminError.notFound("No user has the id " + id + "."));
      String plan = in.has("plan") ? in.requiredText("plan") : was.plan();
      requirePlan(c, plan);
      StoredUser now = new StoredUser(id, was.email(), in.has("name") ? in.requiredText("name") : was.name(), plan,
          in.has("monthly_token_quota") ? in.positiveLong("monthly_token_quota") : was.quotaLimit(),
          in.has("price_multiplier") ? multiplier(in) : was.priceMultiplier(),
          LimitFields.patch(was.limits(), in), was.createdAt());
      users.update(c, now);
      JsonObject before = json(was);
      JsonObject previous = new JsonObject();
      in.raw().fieldNames().forEach(f -> previous.put(f, before.getValue(f)));
      admin.audit().record(c, admin.origin(ctx), "update", RESOURCE, id.toString(),
          new JsonObject().put("set", in.raw()).put("was", previous));
      List<ClusterEvent> changed = keys.hashesOfUser(c, id).stream()
          .<ClusterEvent>map(ClusterEvent.KeyChanged::new).toList();
      return Reply.changed(json(now), changed);
    });
  }

  private StoredUser find(RoutingContext ctx) {
    String ref = ctx.pathParam("id");
    return resolve(users, ref).orElseThrow(() -> AdminError.notFound("No user has the id or email " + ref + "."));
  }

  private void requirePlan(Connection c, String plan) throws SQLException {
    if (users.plan(c, plan).isEmpty()) {
      List<String> names = users.plans().stream().map(StoredPlan::name).toList();
      throw AdminError.badRequest("plan", "There is no plan named '" + plan + "'. Plans: " + String.join(", ", names)
          + "." + Suggestions.didYouMean(plan, names));
    }
  }

  private static BigDecimal multiplier(Input in) {
    return in.positiveDecimal("price_multiplier", "a number such as 0.8");
  }

  static JsonObject json(StoredUser u) {
    JsonObject out = new JsonObject().put("object", "user").put("id", u.id().toString()).put("email", u.email())
        .put("name", u.name()).put("plan", u.plan()).put("monthly_token_quota", u.quotaLimit())
        .put("price_multiplier", LimitFields.plain(u.priceMultiplier()));
    LimitFields.write(out, u.limits());
    return out.put("created_at", u.createdAt().toString());
  }
}
