package io.tokenrouter.admin;

import io.tokenrouter.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Locale;

/**
 * Which gateway this is: its mode and the database it serves. The command line compares the
 * database with its own configuration's before it changes anything through this gateway.
 */
final class InfoResource implements AdminResource {
  private final JsonObject info;

  InfoResource(GatewayConfig config) {
    this.info = new JsonObject().put("object", "gateway").put("mode", config.mode().name().toLowerCase(Locale.ROOT))
        .put("database", config.database().location()).put("redis", config.redis().enabled());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/info").handler(ctx -> Exchange.json(ctx, 200, info));
  }
}
