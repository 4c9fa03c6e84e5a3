package io.tokenrouter.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Calls to a test gateway's admin API with a token (null: without one). */
public final class AdminCalls {
  private final TestGateway gateway;
  private final String token;

  public AdminCalls(TestGateway gateway, String token) {
    this.gateway = gateway;
    this.token = token;
  }

  /** An answer; {@link #json()} parses the body. */
  public record Answer(int status, String body, HttpResponse<String> response) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** The OpenAI-shaped error object, or a failed assertion when the body is not one. */
    public JsonObject error() {
      JsonObject error = json().getJsonObject("error");
      if (error == null || !error.containsKey("message") || !error.containsKey("type") || !error.containsKey("param")
          || !error.containsKey("code")) {
        throw new AssertionError("not an OpenAI error object: " + body);
      }
      return error;
    }
  }

  public Answer get(String path) {
    return send("GET", path, null, null);
  }

  public Answer post(String path, String json) {
    return send("POST", path, json, null);
  }

  public Answer patch(String path, String json) {
    return send("PATCH", path, json, null);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Answer send(String method, String path, String json, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<String> r = gateway.send(b.build());
    return new Answer(r.statusCode(), r.body(), r);
  }

  /** The audit entries of one resource id, newest first. */
  public List<JsonObject> audit(String resource, String id) {
    Answer a = get("/admin/audit?resource=" + resource + "&resource_id=" + id);
    if (a.status() != 200) {
      throw new AssertionError("audit: " + a.body());
    }
    List<JsonObject> entries = new ArrayList<>();
    JsonArray data = a.json().getJsonArray("data");
    data.forEach(e -> entries.add((JsonObject) e));
    return entries;
  }
}
