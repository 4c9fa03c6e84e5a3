package io.tokenrouter.admin;

import io.tokenrouter.store.StoredPlan;
import io.tokenrouter.store.UserRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Plans (seed 000: free, pro, enterprise, and any added here): monthly token quota, requests per
 * minute and price multiplier. Running gateways apply a changed plan within auth.cache_ttl.
 */
final class PlansResource implements AdminResource {
  static final String RESOURCE = "plan";
  private static final Set<String> EDITABLE = Set.of("monthly_token_quota", "rpm_limit", "price_multiplier");
  private static final Set<String> CREATE = Set.of("name", "monthly_token_quota", "rpm_limit", "price_multiplier");
  private final AdminContext admin;
  private final UserRepository plans;

  PlansResource(AdminContext admin) {
    this.admin = admin;
    this.plans = new UserRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/plans").handler(ctx -> admin.exchange().run(ctx, this::list));
    r.get("/admin/plans/:name").handler(ctx -> admin.exchange().run(ctx, () -> Reply.ok(json(find(ctx)))));
    r.post("/admin/plans").handler(ctx -> admin.exchange().run(ctx, () -> create(ctx)));
    r.patch("/admin/plans/:name").handler(ctx -> admin.exchange().run(ctx, () -> change(ctx)));
  }

  private Reply list() {
    JsonArray data = new JsonArray();
    plans.plans().forEach(p -> data.add(json(p)));
    return Reply.ok(new JsonObject().put("object", "list").put("data", data));
  }

  private Reply create(RoutingContext ctx) {
    Input in = Input.of(ctx, CREATE);
    String name = in.requiredText("name");
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,49}")) {
      throw AdminError.badRequest("name", "A plan name is up to 50 lower-case letters, digits, '-' and '_'; '"
          + name + "' is not one.");
    }
    if (!in.has("price_multiplier")) {
      throw AdminError.badRequest("price_multiplier", "'price_multiplier' is required (1 bills provider prices as"
          + " they are).");
    }
    StoredPlan plan = new StoredPlan(name, in.positiveLong("monthly_token_quota"), in.positiveInt("rpm_limit"),
        in.positiveDecimal("price_multiplier", "a number such as 0.8"));
    admin.tx().run("creating plan " + name, c -> {
      if (plans.plan(c, name).isPresent()) {
        throw AdminError.conflict("A plan named " + name + " already exists; change it with PATCH /admin/plans/"
            + name + ".");
      }
      plans.insertPlan(c, plan);
      admin.audit().record(c, admin.origin(ctx), "create", RESOURCE, name, new JsonObject().put("set", in.raw()));
      return null;
    });
    return Reply.created(json(plan));
  }

  private Reply change(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Input in = Input.of(ctx, EDITABLE);
    if (in.has("price_multiplier") && in.raw().getValue("price_multiplier") == null) {
      throw AdminError.badRequest("price_multiplier", "'price_multiplier' cannot be cleared; 1 bills provider prices"
          + " as they are.");
    }
    return admin.tx().run("changing plan " + name, c -> {
      StoredPlan was = plans.plan(c, name).orElseThrow(() -> AdminError.notFound("There is no plan named " + name
          + "."));
      StoredPlan now = new StoredPlan(name,
          in.has("monthly_token_quota") ? in.positiveLong("monthly_token_quota") : was.monthlyTokenQuota(),
          in.has("rpm_limit") ? in.positiveInt("rpm_limit") : was.rpm(),
          in.has("price_multiplier") ? in.positiveDecimal("price_multiplier", "a number such as 0.8")
              : was.priceMultiplier());
      plans.updatePlan(c, now);
      JsonObject before = json(was);
      JsonObject previous = new JsonObject();
      in.raw().fieldNames().forEach(f -> previous.put(f, before.getValue(f)));
      admin.audit().record(c, admin.origin(ctx), "update", RESOURCE, name,
          new JsonObject().put("set", in.raw()).put("was", previous));
      return Reply.changed(json(now), List.of());
    });
  }

  private StoredPlan find(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    return plans.plan(name).orElseThrow(() -> AdminError.notFound("There is no plan named " + name + "."));
  }

  private static JsonObject json(StoredPlan p) {
    return new JsonObject().put("object", "plan").put("name", p.name())
        .put("monthly_token_quota", p.monthlyTokenQuota()).put("rpm_limit", p.rpm())
        .put("price_multiplier", LimitFields.plain(p.priceMultiplier()));
  }
}
