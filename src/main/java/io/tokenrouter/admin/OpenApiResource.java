package io.tokenrouter.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The admin API's OpenAPI 3 description at {@code /admin/openapi.json}, served without the
 * token (it holds no data). Kept as YAML in the jar, where it is easier to read and review, and
 * converted to JSON once, when first asked for, on a worker thread: converting it at start took
 * 4-5% of a start's main thread (bench/RESULTS-capacity.md §3), for a document few gateways are
 * ever asked for.
 */
final class OpenApiResource implements AdminResource {
  static final String PATH = "/admin/openapi.yaml";

  /** The description as a JSON object. */
  JsonObject document() {
    return new JsonObject(Document.JSON);
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/openapi.json").blockingHandler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Document.JSON));
  }

  /** Converted when this class is first used; the JVM makes that happen once. */
  private static final class Document {
    static final String JSON = read();

    private static String read() {
      try (InputStream in = OpenApiResource.class.getResourceAsStream(PATH)) {
        JsonNode tree = new YAMLMapper().readTree(in);
        return tree.toString();
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + PATH + " from the jar", e);
      }
    }
  }
}
