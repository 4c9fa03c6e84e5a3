package io.tokenrouter.admin;

import io.tokenrouter.config.Suggestions;
import io.tokenrouter.store.StatusQuery;
import io.tokenrouter.store.StatusReports;
import io.tokenrouter.store.StatusRow;
import io.tokenrouter.store.StoredUser;
import io.tokenrouter.store.UsageDimension;
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
 * How requests were answered ({@code GET /admin/usage/statuses}): requests, errors (status 400
 * and above) and the error rate, grouped like {@code /admin/usage} and also by the status itself,
 * over a range of UTC days, as JSON or CSV. Every request counts, refusals included (those have
 * no provider). Read from the daily_status roll-up.
 */
final class StatusResource implements AdminResource {
  private static final int CSV_LIMIT = 100_000;
  private static final String STATUS = "status";
  private static final Set<String> PARAMS = Set.of("group_by", "from", "to", "key_id", "user", "user_id",
      "project_id", "model", "provider", "limit", "offset", "format");
  private final AdminContext admin;
  private final StatusReports reports;
  private final UserRepository users;

  StatusResource(AdminContext admin) {
    this.admin = admin;
    this.reports = new StatusReports(admin.ds());
    this.users = new UserRepository(admin.ds());
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/usage/statuses").handler(ctx -> admin.exchange().run(ctx, () -> report(ctx)));
  }

  private record GroupBy(List<UsageDimension> dims, boolean status) {}

  private Reply report(RoutingContext ctx) {
    Query q = Query.of(ctx, PARAMS);
    GroupBy groupBy = groupBy(q.text("group_by"));
    DayRange range = DayRange.of(q, admin.clock().instant());
    UUID userId = null;
    String userRef = q.text("user") != null ? q.text("user") : q.text("user_id");
    if (userRef != null) {
      userId = UsersResource.resolve(users, userRef).map(StoredUser::id).orElseThrow(() ->
          AdminError.badRequest(q.text("user") != null ? "user" : "user_id", "No user has the email or id '" + userRef
              + "'."));
    }
    boolean csv = q.wantsCsv();
    StatusReports.Report report = reports.run(new StatusQuery(groupBy.dims(), groupBy.status(), range.start(),
        range.end(), q.id("key_id"), userId, q.text("project_id"), q.text("model"), q.text("provider"), q.offset(),
        csv ? q.limit(CSV_LIMIT, CSV_LIMIT) : q.limit(Query.DEFAULT_LIMIT, Query.MAX_LIMIT)));
    List<String> labels = new ArrayList<>(groupBy.dims().stream().map(UsageDimension::label).toList());
    if (groupBy.status()) {
      labels.add(STATUS);
    }
    if (csv) {
      return Reply.csv(csv(groupBy, report.rows().items()));
    }
    JsonArray data = new JsonArray();
    report.rows().items().forEach(row -> data.add(json(row, groupBy)));
    return Reply.ok(Listing.page(data, report.rows()).put("group_by", new JsonArray(labels))
        .put("from", range.from().toString()).put("to", range.to().toString())
        .put("totals", json(report.totals(), new GroupBy(List.of(), false))));
  }

  /** By day unless asked otherwise; "none" for the totals alone. */
  private static GroupBy groupBy(String text) {
    if (text == null) {
      return new GroupBy(List.of(UsageDimension.DAY), false);
    }
    List<String> names = new ArrayList<>(Arrays.stream(UsageDimension.values()).map(UsageDimension::label).toList());
    names.add(STATUS);
    List<UsageDimension> dims = new ArrayList<>();
    boolean status = false;
    for (String part : text.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty() || p.equals("none")) {
        continue;
      }
      if (!names.contains(p)) {
        throw AdminError.badRequest("group_by", "'group_by' takes " + String.join(", ", names)
            + " (comma-separated) or none; '" + part.trim() + "' is not one." + Suggestions.didYouMean(p, names));
      }
      if (p.equals(STATUS)) {
        status = true;
        continue;
      }
      UsageDimension d = UsageDimension.valueOf(p.toUpperCase(Locale.ROOT));
      if (!dims.contains(d)) {
        dims.add(d);
      }
    }
    return new GroupBy(dims, status);
  }

  private static JsonObject json(StatusRow r, GroupBy groupBy) {
    JsonObject out = new JsonObject();
    for (UsageDimension d : groupBy.dims()) {
      switch (d) {
        case DAY -> out.put("day", LocalDate.ofInstant(r.day(), ZoneOffset.UTC).toString());
        case KEY -> out.put("key_id", str(r.keyId())).put("key_name", r.keyName());
        case USER -> out.put("user_id", str(r.userId())).put("user_email", r.userEmail());
        case PROJECT -> out.put("project_id", r.project());
        case MODEL -> out.put("model", r.model());
        case PROVIDER -> out.put("provider", r.provider());
      }
    }
    if (groupBy.status()) {
      out.put(STATUS, r.status());
    }
    return out.put("requests", r.requests()).put("errors", r.errors()).put("error_rate", r.errorRate());
  }

  private static String csv(GroupBy groupBy, List<StatusRow> rows) {
    List<String> header = new ArrayList<>();
    for (UsageDimension d : groupBy.dims()) {
      switch (d) {
        case DAY -> header.add("day");
        case KEY -> header.addAll(List.of("key_id", "key_name"));
        case USER -> header.addAll(List.of("user_id", "user_email"));
        case PROJECT -> header.add("project_id");
        case MODEL -> header.add("model");
        case PROVIDER -> header.add("provider");
      }
    }
    if (groupBy.status()) {
      header.add(STATUS);
    }
    header.addAll(List.of("requests", "errors", "error_rate"));
    Csv out = new Csv(header);
    for (StatusRow r : rows) {
      JsonObject j = json(r, groupBy);
      out.row(header.stream().map(h -> j.getValue(h) instanceof BigDecimal b ? b.toPlainString() : j.getValue(h))
          .toArray());
    }
    return out.toString();
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }
}
