package io.tokenrouter.admin;

import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.RouteConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The model mappings ({@code GET /admin/models}), read-only: each model name clients send and the
 * provider models that serve it, in the configured order, with every setting the configuration
 * gives them; and the custom relay routes. They change with the configuration file.
 */
final class ModelsResource implements AdminResource {
  private final JsonObject list;

  ModelsResource(GatewayConfig config) {
    JsonArray data = new JsonArray();
    for (ModelConfig m : config.models()) {
      data.add(new JsonObject().put("object", "model_mapping").mergeIn(ConfigView.of(m)));
    }
    JsonArray routes = new JsonArray();
    for (RouteConfig route : config.routes()) {
      routes.add(new JsonObject().put("object", "route").mergeIn(ConfigView.of(route)));
    }
    this.list = new JsonObject().put("object", "list").put("data", data).put("routes", routes)
        .put("source", "configuration");
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/models").handler(ctx -> Exchange.json(ctx, 200, list));
  }
}
