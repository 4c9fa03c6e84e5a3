package io.tokenrouter.admin;

import io.tokenrouter.billing.Price;
import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.store.PricingRepository;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * The price list ({@code /admin/pricing}): USD per million tokens for input, output, cache reads
 * and cache writes, per provider model name, from {@code model_pricing}; listed, read, set
 * ({@code PUT} a whole price, {@code PATCH} some of it) and removed. A cache price the table
 * leaves at 0 is shown as what is billed: the input price. A price set here prices this
 * instance's next request, and the others' once the change's event reaches them.
 */
final class PricingResource implements AdminResource {
  static final String RESOURCE = "model_price";
  private static final String ONE = "/admin/pricing/(?<model>.+)";
  private static final String INPUT = "input_per_million";
  private static final String OUTPUT = "output_per_million";
  private static final String CACHE_READ = "cache_read_per_million";
  private static final String CACHE_WRITE = "cache_write_per_million";
  private static final Set<String> FIELDS = Set.of("provider", INPUT, OUTPUT, CACHE_READ, CACHE_WRITE);
  private final AdminContext admin;
  private final LiveConfig live;
  private final PricingRepository prices;

  PricingResource(AdminContext admin, LiveConfig live) {
    this.admin = admin;
    this.live = live;
    this.prices = new PricingRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/pricing").handler(ctx -> admin.exchange().run(ctx, () -> {
      Query.of(ctx, Set.of());
      JsonArray data = new JsonArray();
      prices.listing().forEach(row -> data.add(json(row)));
      return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("currency", "USD"));
    }));
    r.routeWithRegex(HttpMethod.GET, ONE).handler(ctx -> admin.exchange().run(ctx, () -> Reply.ok(json(
        admin.tx().run("reading a price", c -> prices.find(c, ctx.pathParam("model"))).orElseThrow(
            () -> unknown(ctx.pathParam("model")))))));
    r.routeWithRegex(HttpMethod.PUT, ONE).handler(ctx -> admin.exchange().run(ctx, () -> set(ctx, true)));
    r.routeWithRegex(HttpMethod.PATCH, ONE).handler(ctx -> admin.exchange().run(ctx, () -> set(ctx, false)));
    r.routeWithRegex(HttpMethod.DELETE, ONE).handler(ctx -> admin.exchange().run(ctx, () -> remove(ctx)));
  }

  /** @param whole PUT: input, output and provider are required, and unset cache prices become "as input" */
  private Reply set(RoutingContext ctx, boolean whole) {
    String model = ctx.pathParam("model");
    Input in = Input.of(ctx, FIELDS);
    if (model.length() > 100) {
      throw AdminError.badRequest(null, "A model name is at most 100 characters.");
    }
    PricingRepository.Listed listed = admin.tx().run("changing the price of " + model, c -> {
      PricingRepository.Listed was = prices.find(c, model).orElse(null);
      if (was == null && !whole) {
        throw unknown(model);
      }
      String provider = in.has("provider") || was == null ? in.requiredText("provider") : was.provider();
      Price old = whole || was == null ? null : was.price();
      Price price = new Price(model, amount(in, INPUT, old == null ? null : old.input()),
          amount(in, OUTPUT, old == null ? null : old.output()),
          cache(in, CACHE_READ, old == null ? null : old.cacheRead()),
          cache(in, CACHE_WRITE, old == null ? null : old.cacheWrite()));
      prices.save(c, price, provider, admin.clock().instant());
      JsonObject change = new JsonObject().put("set", in.raw());
      if (was != null) {
        change.put("was", json(was));
      }
      admin.audit().record(c, admin.origin(ctx), was == null ? "create" : "update", RESOURCE, model, change);
      return prices.find(c, model).orElseThrow();
    });
    live.pricesChanged();
    return Reply.changed(json(listed), List.of(new ClusterEvent.PricesChanged()));
  }

  private Reply remove(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    admin.tx().run("removing the price of " + model, c -> {
      PricingRepository.Listed was = prices.find(c, model).orElseThrow(() -> unknown(model));
      prices.delete(c, model);
      admin.audit().record(c, admin.origin(ctx), "delete", RESOURCE, model, new JsonObject().put("was", json(was)));
      return null;
    });
    live.pricesChanged();
    return Reply.changed(new JsonObject().put("object", RESOURCE).put("model", model).put("deleted", true),
        List.of(new ClusterEvent.PricesChanged()));
  }

  /** A cache price as sent, else as it was, else 0: not discounted. */
  private static BigDecimal cache(Input in, String field, BigDecimal current) {
    BigDecimal v = optional(in, field, current);
    return v == null ? BigDecimal.ZERO : v;
  }

  private static BigDecimal amount(Input in, String field, BigDecimal current) {
    BigDecimal v = optional(in, field, current);
    if (v == null) {
      throw AdminError.badRequest(field, "'" + field + "' is required: USD per million tokens, e.g. 0.15.");
    }
    return v;
  }

  /** USD per million tokens, 0 or more; {@code current} when the body does not set it. */
  private static BigDecimal optional(Input in, String field, BigDecimal current) {
    Object v = in.raw().getValue(field);
    if (v == null) {
      return current;
    }
    BigDecimal n;
    try {
      n = new BigDecimal(v.toString().trim());
    } catch (NumberFormatException e) {
      throw AdminError.badRequest(field, "'" + field + "' must be a number of US dollars per million tokens, e.g."
          + " 0.15; '" + v + "' is not.");
    }
    if (!(v instanceof Number || v instanceof String) || n.signum() < 0 || n.compareTo(BigDecimal.valueOf(1_000_000))
        >= 0 || n.scale() > 6) {
      throw AdminError.badRequest(field, "'" + field + "' must be from 0 to below 1000000 with at most 6 decimals;"
          + " was " + v + ".");
    }
    return n;
  }

  private static AdminError unknown(String model) {
    return AdminError.notFound("The price list has no model '" + model + "'. Set one with PUT /admin/pricing/"
        + model + ".");
  }

  private static JsonObject json(PricingRepository.Listed row) {
    Price p = row.price();
    return new JsonObject().put("object", RESOURCE).put("model", p.model()).put("provider", row.provider())
        .put(INPUT, LimitFields.plain(p.input()))
        .put(OUTPUT, LimitFields.plain(p.output()))
        .put(CACHE_READ, LimitFields.plain(p.cacheRead()))
        .put(CACHE_WRITE, LimitFields.plain(p.cacheWrite()))
        .put("effective_from", row.effectiveFrom().toString()).put("updated_at", row.updatedAt().toString());
  }
}
