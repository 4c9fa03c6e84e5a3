package io.tokenrouter.admin;

import io.tokenrouter.store.RequestLog;
import io.tokenrouter.store.RequestQuery;
import io.tokenrouter.store.RequestRow;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UserRepository;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The recent requests log: status, latency, tokens, cache hit and cost of each request, newest
 * first, filtered by key, user, project, model or status, paged by an opaque cursor
 * ({@code next_cursor} → {@code ?before=}), as JSON or CSV.
 */
final class RequestsResource implements AdminResource {
  private static final int CSV_LIMIT = 100_000;
  private static final Set<String> PARAMS = Set.of("key_id", "user", "user_id", "project_id", "model", "status",
      "from", "to", "before", "limit", "format");
  private static final List<String> COLUMNS = List.of("id", "request_id", "created_at", "key_id", "key_name",
      "user_id", "project_id", "model", "provider", "upstream_model", "stream", "status", "error_type",
      "prompt_tokens", "completion_tokens", "cache_read_tokens", "cache_write_tokens", "cache_hit",
      "usage_estimated", "cost_usd", "latency_ms", "ttft_ms", "attempts");
  private final AdminContext admin;
  private final RequestLog log;
  private final UserRepository users;

  RequestsResource(AdminContext admin) {
    this.admin = admin;
    this.log = new RequestLog(admin.ds());
    this.users = new UserRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/requests").handler(ctx -> admin.exchange().run(ctx, () -> recent(ctx)));
  }

  private Reply recent(RoutingContext ctx) {
    Query q = Query.of(ctx, PARAMS);
    UUID userId = null;
    String userRef = q.text("user") != null ? q.text("user") : q.text("user_id");
    if (userRef != null) {
      userId = UsersResource.resolve(users, userRef).map(StoredUser::id).orElseThrow(() ->
          AdminError.badRequest("user", "No user has the email or id '" + userRef + "'."));
    }
    Integer status = null;
    boolean failedOnly = false;
    String s = q.text("status");
    if ("error".equals(s) || "failed".equals(s)) {
      failedOnly = true;
    } else if (s != null) {
      status = q.integer("status");
    }
    boolean csv = q.wantsCsv();
    int limit = csv ? q.limit(CSV_LIMIT, CSV_LIMIT) : q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT);
    List<RequestRow> rows = log.recent(new RequestQuery(q.id("key_id"), userId, q.text("project_id"),
        q.text("model"), status, failedOnly, q.instant("from"), q.instant("to"), cursor(q.text("before")), limit + 1));
    boolean more = rows.size() > limit;
    List<RequestRow> page = more ? rows.subList(0, limit) : rows;
    if (csv) {
      Csv out = new Csv(COLUMNS);
      page.forEach(row -> {
        JsonObject j = json(row);
        // one cell: the attempts as JSON text, empty when the first attempt served the request
        JsonArray attempts = j.getJsonArray("attempts");
        j.put("attempts", attempts.isEmpty() ? null : attempts.encode());
        out.row(COLUMNS.stream().map(j::getValue).toArray());
      });
      return Reply.csv(out.toString());
    }
    JsonArray data = new JsonArray();
    page.forEach(row -> data.add(json(row)));
    return Reply.ok(new JsonObject().put("object", "list").put("data", data).put("has_more", more)
        .put("next_cursor", more ? encode(page.getLast()) : null));
  }

  private static JsonObject json(RequestRow r) {
    return new JsonObject().put("id", r.id().toString()).put("request_id", r.requestId())
        .put("created_at", r.createdAt().toString()).put("key_id", r.keyId() == null ? null : r.keyId().toString())
        .put("key_name", r.keyName()).put("user_id", r.userId() == null ? null : r.userId().toString())
        .put("project_id", r.project()).put("model", r.model()).put("provider", r.provider())
        .put("upstream_model", r.upstreamModel()).put("stream", r.stream()).put("status", r.status())
        .put("error_type", r.errorType()).put("prompt_tokens", r.promptTokens())
        .put("completion_tokens", r.completionTokens()).put("cache_read_tokens", r.cacheReadTokens())
        .put("cache_write_tokens", r.cacheWriteTokens()).put("cache_hit", r.cacheHit())
        .put("usage_estimated", r.usageEstimated()).put("cost_usd", LimitFields.plain(r.costUsd()))
        .put("latency_ms", r.latencyMs()).put("ttft_ms", r.ttftMs()).put("attempts", attempts(r));
  }

  /** Each attempt of a request that needed more than one, or whose only one failed; none otherwise. */
  private static JsonArray attempts(RequestRow r) {
    if (r.attempts() == null || r.attempts().isBlank()) {
      return new JsonArray();
    }
    try {
      return new JsonArray(r.attempts());
    } catch (DecodeException e) {
      // cut at the column's width by an older writer: the attempts are lost, the request is not
      return new JsonArray();
    }
  }

  private static String encode(RequestRow last) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
  }

  private static RequestQuery.Cursor cursor(String text) {
    if (text == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
      return new RequestQuery.Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
      throw AdminError.badRequest("before", "'before' must be a next_cursor value from an earlier page.");
    }
  }
}
