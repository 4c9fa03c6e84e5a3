package io.tokenrouter.admin;

import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.TargetConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured providers ({@code GET /admin/providers}), read-only: every setting but the
 * secrets (see {@link ConfigView}), and the model names routed to each. They change with the
 * configuration file.
 */
final class ProvidersResource implements AdminResource {
  private final JsonObject list;

  ProvidersResource(GatewayConfig config) {
    JsonArray data = new JsonArray();
    for (ProviderConfig p : config.providers()) {
      List<String> models = new ArrayList<>();
      for (ModelConfig m : config.models()) {
        for (TargetConfig t : m.targets()) {
          if (t.provider().equals(p.name()) && !models.contains(m.name())) {
            models.add(m.name());
          }
        }
      }
      JsonObject provider = new JsonObject().put("object", "provider").mergeIn(ConfigView.of(p))
          .put("models", new JsonArray(models));
      if (!ProviderConfig.MOCK.equals(p.type())) {
        provider.remove("mock"); // the mock's own settings, filled in with defaults for every provider
      }
      data.add(provider);
    }
    this.list = new JsonObject().put("object", "list").put("data", data).put("source", "configuration");
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/providers").handler(ctx -> Exchange.json(ctx, 200, list));
  }
}
