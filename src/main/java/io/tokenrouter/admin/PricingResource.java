package io.tokenrouter.admin;

import io.tokenrouter.billing.Price;
import io.tokenrouter.store.PricingRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Set;

/**
 * The price list ({@code GET /admin/pricing}), read-only: USD per million tokens for input, output,
 * cache reads and cache writes, per provider model name, from {@code model_pricing}. A cache price
 * the table leaves at 0 is shown as what is billed: the input price.
 */
final class PricingResource implements AdminResource {
  private final AdminContext admin;
  private final PricingRepository prices;

  PricingResource(AdminContext admin) {
    this.admin = admin;
    this.prices = new PricingRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/pricing").handler(ctx -> admin.exchange().run(ctx, () -> {
      Query.of(ctx, Set.of());
      JsonArray data = new JsonArray();
      for (PricingRepository.Listed row : prices.listing()) {
        Price p = row.price();
        data.add(new JsonObject().put("object", "model_price").put("model", p.model()).put("provider", row.provider())
            .put("input_per_million", LimitFields.plain(p.input()))
            .put("output_per_million", LimitFields.plain(p.output()))
            .put("cache_read_per_million", LimitFields.plain(p.cacheRead()))
            .put("cache_write_per_million", LimitFields.plain(p.cacheWrite()))
            .put("effective_from", row.effectiveFrom().toString()).put("updated_at", row.updatedAt().toString()));
      }
      return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("currency", "USD"));
    }));
  }
}
