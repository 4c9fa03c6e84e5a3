package io.tokenrouter.admin;

import io.tokenrouter.config.Suggestions;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UsageDimension;
import io.tokenrouter.store.UsageQuery;
import io.tokenrouter.store.UsageReports;
import io.tokenrouter.store.UsageRow;
import io.tokenrouter.store.UserRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Usage and cost (seed 004's {@code GET /admin/usage}): requests, tokens, cost, cache hit rate
 * and the money prompt caching saved, grouped by any of key, user, project, model, provider and
 * day over a range of UTC days, paged, as JSON or CSV. Read from the daily roll-up, so a report
 * over a month costs the same with a million requests as with ten.
 */
final class UsageResource implements AdminResource {
  private static final int CSV_LIMIT = 100_000;
  private static final Set<String> PARAMS = Set.of("group_by", "from", "to", "key_id", "user", "user_id",
      "project_id", "model", "provider", "limit", "offset", "format");
  private final AdminContext admin;
  private final UsageReports reports;
  private final UserRepository users;

  UsageResource(AdminContext admin) {
    this.admin = admin;
    this.reports = new UsageReports(admin.ds());
    this.users = new UserRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/usage").handler(ctx -> admin.exchange().run(ctx, () -> report(ctx)));
  }

  private Reply report(RoutingContext ctx) {
    Query q = Query.of(ctx, PARAMS);
    List<UsageDimension> groupBy = groupBy(q.text("group_by"));
    DayRange range = DayRange.of(q, admin.clock().instant());
    UUID userId = null;
    String userRef = q.text("user") != null ? q.text("user") : q.text("user_id");
    if (userRef != null) {
      userId = UsersResource.resolve(users, userRef).map(StoredUser::id).orElseThrow(() ->
          AdminError.badRequest(q.text("user") != null ? "user" : "user_id", "No user has the email or id '" + userRef
              + "'."));
    }
    boolean csv = q.wantsCsv();
    UsageReports.Report report = reports.run(new UsageQuery(groupBy, range.start(), range.end(),
        q.id("key_id"), userId, q.text("project_id"), q.text("model"), q.text("provider"), q.offset(),
        csv ? q.limit(CSV_LIMIT, CSV_LIMIT) : q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT)));
    if (csv) {
      return Reply.csv(csv(groupBy, report.rows().items()));
    }
    JsonArray data = new JsonArray();
    report.rows().items().forEach(row -> data.add(json(row, groupBy)));
    return Reply.ok(Listing.page(data, report.rows())
        .put("group_by", new JsonArray(groupBy.stream().map(UsageDimension::label).toList()))
        .put("from", range.from().toString()).put("to", range.to().toString())
        .put("totals", json(report.totals(), List.of())));
  }

  private static List<UsageDimension> groupBy(String text) {
    if (text == null) {
      return List.of(UsageDimension.KEY);
    }
    List<String> names = Arrays.stream(UsageDimension.values()).map(UsageDimension::label).toList();
    List<UsageDimension> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty() || p.equals("none")) {
        continue;
      }
      if (!names.contains(p)) {
        throw AdminError.badRequest("group_by", "'group_by' takes " + String.join(", ", names)
            + " (comma-separated) or none; '" + part.trim() + "' is not one." + Suggestions.didYouMean(p, names));
      }
      UsageDimension d = UsageDimension.valueOf(p.toUpperCase(Locale.ROOT));
      if (!dims.contains(d)) {
        dims.add(d);
      }
    }
    return dims;
  }

  private static JsonObject json(UsageRow r, List<UsageDimension> dims) {
    JsonObject out = new JsonObject();
    for (UsageDimension d : dims) {
      switch (d) {
        case DAY -> out.put("day", LocalDate.ofInstant(r.day(), ZoneOffset.UTC).toString());
        case KEY -> out.put("key_id", str(r.keyId())).put("key_name", r.keyName());
        case USER -> out.put("user_id", str(r.userId())).put("user_email", r.userEmail());
        case PROJECT -> out.put("project_id", r.project());
        case MODEL -> out.put("model", r.model());
        case PROVIDER -> out.put("provider", r.provider());
      }
    }
    return out.put("requests", r.requests()).put("prompt_tokens", r.promptTokens())
        .put("completion_tokens", r.completionTokens()).put("cache_read_tokens", r.cacheReadTokens())
        .put("cache_write_tokens", r.cacheWriteTokens()).put("total_tokens", r.promptTokens() + r.completionTokens())
        .put("cost_usd", LimitFields.plain(r.costUsd())).put("saved_usd", LimitFields.plain(r.savedUsd()))
        .put("cache_hit_rate", r.cacheHitRate());
  }

  private static String csv(List<UsageDimension> dims, List<UsageRow> rows) {
    List<String> header = new ArrayList<>();
    for (UsageDimension d : dims) {
      switch (d) {
        case DAY -> header.add("day");
        case KEY -> header.addAll(List.of("key_id", "key_name"));
        case USER -> header.addAll(List.of("user_id", "user_email"));
        case PROJECT -> header.add("project_id");
        case MODEL -> header.add("model");
        case PROVIDER -> header.add("provider");
      }
    }
    List<String> metrics = List.of("requests", "prompt_tokens", "completion_tokens", "cache_read_tokens",
        "cache_write_tokens", "total_tokens", "cost_usd", "saved_usd", "cache_hit_rate");
    header.addAll(metrics);
    Csv out = new Csv(header);
    for (UsageRow r : rows) {
      JsonObject j = json(r, dims);
      out.row(header.stream().map(h -> j.getValue(h) instanceof BigDecimal b ? b.toPlainString()
          : j.getValue(h)).toArray());
    }
    return out.toString();
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }
}
