package io.tokenrouter.admin;

import io.tokenrouter.config.NamespaceConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The tenant namespaces of the configuration, read-only: they change with the configuration file. */
final class NamespacesResource implements AdminResource {
  private final List<NamespaceConfig> namespaces;

  NamespacesResource(List<NamespaceConfig> namespaces) {
    this.namespaces = namespaces;
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/namespaces").handler(this::list);
    r.get("/admin/namespaces/:name").handler(this::one);
  }

  private void list(RoutingContext ctx) {
    JsonArray data = new JsonArray();
    namespaces.forEach(ns -> data.add(json(ns)));
    Exchange.json(ctx, 200, new JsonObject().put("object", "list").put("data", data));
  }

  private void one(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    namespaces.stream().filter(ns -> ns.name().equals(name)).findFirst().ifPresentOrElse(
        ns -> Exchange.json(ctx, 200, json(ns)),
        () -> Exchange.fail(ctx, AdminError.notFound("No namespace is named " + name + ".")));
  }

  private static JsonObject json(NamespaceConfig ns) {
    NamespaceConfig.Match m = ns.match();
    JsonObject match = new JsonObject();
    if (m != null) {
      match.put("key", m.key()).put("project", m.project()).put("path", m.path())
          .put("header", m.header() == null ? null : new JsonObject(new LinkedHashMap<>(m.header())));
    }
    NamespaceConfig.Policy p = ns.policy();
    return new JsonObject().put("object", "namespace").put("name", ns.name()).put("match", match)
        .put("policy", new JsonObject().put("models", new JsonArray(new ArrayList<>(p.models())))
            .put("rpm_limit", p.rpm()).put("tpm_limit", p.tpm()).put("max_concurrency", p.maxConcurrency())
            .put("burst", p.burst()).put("max_input_tokens", p.maxInputTokens())
            .put("max_output_tokens", p.maxOutputTokens()));
  }
}
