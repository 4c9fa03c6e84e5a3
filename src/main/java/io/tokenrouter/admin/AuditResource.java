package io.tokenrouter.admin;

import io.tokenrouter.store.AuditEntry;
import io.tokenrouter.store.AuditRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** The audit trail, newest first: who changed which key, user or plan, how, and when. */
final class AuditResource implements AdminResource {
  private static final Set<String> PARAMS = Set.of("resource", "resource_id", "before", "limit");
  private final AdminContext admin;
  private final AuditRepository audit;

  AuditResource(AdminContext admin) {
    this.admin = admin;
    this.audit = new AuditRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/audit").handler(ctx -> admin.exchange().run(ctx, () -> recent(ctx)));
  }

  private Reply recent(RoutingContext ctx) {
    Query q = Query.of(ctx, PARAMS);
    int limit = q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT);
    List<AuditEntry> entries = audit.recent(q.text("resource"), q.text("resource_id"), q.instant("before"), limit + 1);
    boolean more = entries.size() > limit;
    JsonArray data = new JsonArray();
    for (AuditEntry e : more ? entries.subList(0, limit) : entries) {
      data.add(new JsonObject().put("id", e.id().toString()).put("created_at", e.createdAt().toString())
          .put("actor", e.actor()).put("action", e.action()).put("resource", e.resource())
          .put("resource_id", e.resourceId()).put("details", new JsonObject(e.details()))
          .put("request_id", e.requestId()));
    }
    return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("has_more", more));
  }
}
