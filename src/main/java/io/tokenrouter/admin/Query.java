package io.tokenrouter.admin;

import io.tokenrouter.config.Suggestions;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** The query parameters of a listing: filters, dates and paging, each refusal naming the parameter. */
final class Query {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  private final RoutingContext ctx;

  private Query(RoutingContext ctx) {
    this.ctx = ctx;
  }

  /** Refuses parameters the route does not know, so a typo is not silently ignored. */
  static Query of(RoutingContext ctx, Set<String> known) {
    for (String name : ctx.queryParams().names()) {
      if (!known.contains(name)) {
        throw AdminError.badRequest(name, "Unknown query parameter '" + name + "'."
            + Suggestions.didYouMean(name, known) + " Parameters here: " + String.join(", ", known.stream().sorted().toList()) + ".");
      }
    }
    return new Query(ctx);
  }

  String text(String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  UUID id(String name) {
    String v = text(name);
    return v == null ? null : uuid(name, v);
  }

  Integer integer(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw AdminError.badRequest(name, "'" + name + "' must be a whole number; '" + v + "' is not.");
    }
  }

  int limit(int fallback, int max) {
    Integer v = integer("limit");
    if (v == null) {
      return fallback;
    }
    if (v < 1 || v > max) {
      throw AdminError.badRequest("limit", "'limit' must be between 1 and " + max + ", was " + v + ".");
    }
    return v;
  }

  int offset() {
    Integer v = integer("offset");
    if (v != null && v < 0) {
      throw AdminError.badRequest("offset", "'offset' must be 0 or more, was " + v + ".");
    }
    return v == null ? 0 : v;
  }

  /** A date (2026-01-31, that UTC day's start) or an instant, or null. */
  Instant instant(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notADate) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw AdminError.badRequest(name, "'" + name + "' must be a date like 2026-01-31 or an instant like"
            + " 2026-01-31T12:00:00Z; '" + v + "' is neither.");
      }
    }
  }

  /** Whether the client asked for CSV: {@code ?format=csv} or {@code Accept: text/csv}. */
  boolean wantsCsv() {
    String format = text("format");
    if (format != null) {
      String f = format.toLowerCase(Locale.ROOT);
      if (!f.equals("csv") && !f.equals("json")) {
        throw AdminError.badRequest("format", "'format' must be json or csv, was '" + format + "'.");
      }
      return f.equals("csv");
    }
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
  }

  static UUID uuid(String name, String v) {
    try {
      return UUID.fromString(v);
    } catch (IllegalArgumentException e) {
      throw AdminError.badRequest(name, "'" + name + "' must be an id like 0190c7f2-6c1e-7a3b-9f00-2c1d4e5f6a7b; '"
          + v + "' is not one.");
    }
  }
}
