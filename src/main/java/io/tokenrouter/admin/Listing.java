package io.tokenrouter.admin;

import io.tokenrouter.store.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The list envelope: {@code {"object":"list","data":[...],"total","has_more","next_offset"}}. */
final class Listing {
  private Listing() {}

  static JsonObject page(JsonArray data, Page<?> page) {
    return new JsonObject().put("object", "list").put("data", data).put("total", page.total())
        .put("has_more", page.hasMore())
        .put("next_offset", page.hasMore() ? page.offset() + page.items().size() : null);
  }
}
