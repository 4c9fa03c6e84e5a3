package io.tokenrouter.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parts of the configuration as the admin API shows them, read-only: every setting under its
 * YAML name (so a setting added later shows without a change here), durations as ISO-8601
 * ({@code PT5S}), and never a secret: a value whose setting's name speaks of a key, secret, token,
 * password or credential, and every header value, is replaced by {@value #HIDDEN}; credentials in
 * a URL are cut out.
 */
final class ConfigView {
  static final String HIDDEN = "[hidden]";
  private static final Pattern SECRET_NAME = Pattern.compile("(^|_)(api_?keys?|keys?|secrets?|tokens?|passwords?"
      + "|credentials?|authorization)($|_)");
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .build();

  private ConfigView() {}

  /** A configuration record as JSON, secrets hidden. */
  static JsonObject of(Object config) {
    JsonNode tree = MAPPER.valueToTree(config);
    hide(tree);
    return new JsonObject(tree.toString());
  }

  private static void hide(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("headers") && value instanceof ObjectNode headers) {
          List<String> headerNames = new ArrayList<>();
          headers.fieldNames().forEachRemaining(headerNames::add);
          headerNames.forEach(h -> headers.put(h, HIDDEN));
        } else if (SECRET_NAME.matcher(n).find() && !n.endsWith("_header")) {
          object.set(name, hidden(value));
        } else if (value.isTextual() && (n.endsWith("url") || n.endsWith("uri"))) {
          object.put(name, withoutCredentials(value.asText()));
        } else {
          hide(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(ConfigView::hide);
    }
  }

  /** A secret as "[hidden]" when set, an empty value as it is (so "no key" stays visible). */
  private static JsonNode hidden(JsonNode value) {
    if (value.isTextual()) {
      return value.asText().isEmpty() ? value : MAPPER.getNodeFactory().textNode(HIDDEN);
    }
    if (value instanceof ArrayNode array) {
      ArrayNode out = MAPPER.createArrayNode();
      array.forEach(v -> out.add(HIDDEN));
      return out;
    }
    if (value.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      value.fieldNames().forEachRemaining(f -> out.put(f, HIDDEN));
      return out;
    }
    return value; // numbers and booleans (max_tokens, a key count) say nothing secret
  }

  /** https://user:pass@host/v1?key=x as https://host/v1 with the query's values hidden. */
  static String withoutCredentials(String url) {
    try {
      URI u = URI.create(url);
      if (u.getRawUserInfo() == null && u.getRawQuery() == null) {
        return url;
      }
      String query = u.getRawQuery() == null ? null : String.join("&", Arrays.stream(u.getRawQuery()
          .split("&")).map(p -> p.contains("=") ? p.substring(0, p.indexOf('=')) + "=" + HIDDEN : p).toList());
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getRawPath(), null, null) + (query == null ? ""
          : "?" + query);
    } catch (IllegalArgumentException | URISyntaxException e) {
      return HIDDEN;
    }
  }
}
