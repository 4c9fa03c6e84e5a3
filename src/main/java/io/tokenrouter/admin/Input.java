package io.tokenrouter.admin;

import io.tokenrouter.config.Suggestions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A request body read field by field, each refusal naming the field ({@code param}) and saying
 * what was expected. Absent and null differ: absent leaves a value as it is, null clears it.
 */
final class Input {
  private static final int MAX_TEXT = 255;
  private final JsonObject body;

  private Input(JsonObject body) {
    this.body = body;
  }

  /** The JSON object body; a missing, malformed or non-object body is refused. */
  static Input of(RoutingContext ctx, Set<String> fields) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw AdminError.badRequest(null, "The request needs a JSON object body.");
    }
    JsonObject body;
    try {
      body = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw AdminError.badRequest(null, "The request body is not a JSON object.");
    }
    for (String name : body.fieldNames()) {
      if (!fields.contains(name)) {
        throw AdminError.badRequest(name, "Unknown field '" + name + "'." + Suggestions.didYouMean(name, fields)
            + " Fields here: " + String.join(", ", fields.stream().sorted().toList()) + ".");
      }
    }
    return new Input(body);
  }

  boolean has(String field) {
    return body.containsKey(field);
  }

  /** The body as sent, for the audit trail. */
  JsonObject raw() {
    return body.copy();
  }

  String text(String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw AdminError.badRequest(field, "'" + field + "' must be a string.");
    }
    String trimmed = s.trim();
    if (trimmed.isEmpty()) {
      throw AdminError.badRequest(field, "'" + field + "' must not be empty.");
    }
    if (trimmed.length() > MAX_TEXT) {
      throw AdminError.badRequest(field, "'" + field + "' is longer than " + MAX_TEXT + " characters.");
    }
    return trimmed;
  }

  String requiredText(String field) {
    String v = text(field);
    if (v == null) {
      throw AdminError.badRequest(field, "'" + field + "' is required.");
    }
    return v;
  }

  /** A whole number of at least 1, or null. */
  Integer positiveInt(String field) {
    Long v = positiveLong(field);
    if (v != null && v > Integer.MAX_VALUE) {
      throw AdminError.badRequest(field, "'" + field + "' must be at most " + Integer.MAX_VALUE + ".");
    }
    return v == null ? null : v.intValue();
  }

  Long positiveLong(String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    BigDecimal n = number(field, v, "a whole number, e.g. 60");
    if (n.signum() <= 0 || n.stripTrailingZeros().scale() > 0) {
      throw AdminError.badRequest(field, "'" + field + "' must be a whole number of at least 1, was " + v + ".");
    }
    try {
      return n.longValueExact();
    } catch (ArithmeticException e) {
      throw AdminError.badRequest(field, "'" + field + "' is too large.");
    }
  }

  /** A positive amount of US dollars (a number, or a string holding one), or null. */
  BigDecimal usd(String field) {
    return positiveDecimal(field, "a number of US dollars, e.g. 5 or 12.50");
  }

  BigDecimal positiveDecimal(String field, String what) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    BigDecimal n = number(field, v, what);
    if (n.signum() <= 0) {
      throw AdminError.badRequest(field, "'" + field + "' must be more than 0, was " + v + ".");
    }
    return n;
  }

  private static BigDecimal number(String field, Object v, String what) {
    if (v instanceof Number || v instanceof String) {
      try {
        return new BigDecimal(v.toString().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw AdminError.badRequest(field, "'" + field + "' must be " + what + "; '" + v + "' is not.");
  }

  /** A list of non-empty strings; null and [] both mean none. */
  List<String> strings(String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray array)) {
      throw AdminError.badRequest(field, "'" + field + "' must be a list of strings, e.g. [\"gpt-4o*\"].");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank() || s.contains(",")) {
        throw AdminError.badRequest(field, "'" + field + "' must hold non-empty strings without commas; '" + item
            + "' is not one.");
      }
      out.add(s.trim());
    }
    return out;
  }

  /**
   * An expiry: an ISO instant ({@code 2027-01-31T12:00:00Z}) or a date, meaning the end of that
   * UTC day; null means never.
   */
  Instant expiry(String field) {
    String v = text(field);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notADate) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw AdminError.badRequest(field, "'" + field + "' must be a date like 2027-01-31 or an instant like"
            + " 2027-01-31T12:00:00Z; '" + v + "' is neither.");
      }
    }
  }
}
