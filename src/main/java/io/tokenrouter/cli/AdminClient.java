package io.tokenrouter.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The admin API over HTTP, for the command line. An error answer becomes a {@link CliException}
 * carrying the API's own message; a 400 names the command-line option behind the field.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;
  private final Map<String, String> options;

  /**
   * @param options the command-line option of each body field ("daily_budget" → "--daily-budget"),
   *     to name in a refusal
   */
  AdminClient(String base, String token, Map<String, String> options) {
    this.base = base;
    this.token = token;
    this.options = options;
  }

  AdminClient withOptions(Map<String, String> fieldOptions) {
    return new AdminClient(base, token, fieldOptions);
  }

  JsonObject get(String path, Map<String, String> query) {
    return json(send(request(path + query(query)).GET()));
  }

  String getCsv(String path, Map<String, String> query) {
    return send(request(path + query(query)).header("Accept", "text/csv").GET()).body();
  }

  JsonObject post(String path, JsonObject body) {
    return json(send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))));
  }

  JsonObject patch(String path, JsonObject body) {
    return json(send(request(path).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode()))));
  }

  JsonObject delete(String path) {
    return json(send(request(path).DELETE()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("The gateway at " + base + " refused the connection (it stopped?).");
    } catch (HttpTimeoutException e) {
      throw new CliException("The gateway at " + base + " did not answer within " + TIMEOUT.toSeconds() + " s.");
    } catch (IOException e) {
      throw new CliException("Cannot reach the gateway at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted.");
    }
    if (response.statusCode() >= 400) {
      throw refusal(response);
    }
    return response;
  }

  private CliException refusal(HttpResponse<String> response) {
    JsonObject error;
    try {
      error = new JsonObject(response.body()).getJsonObject("error");
    } catch (DecodeException | ClassCastException e) {
      error = null;
    }
    if (error == null || error.getString("message") == null) {
      return new CliException("The gateway at " + base + " answered HTTP " + response.statusCode() + ".");
    }
    String param = error.getString("param");
    String option = param == null ? null : options.getOrDefault(param, "--" + param.replace('_', '-'));
    String message = option == null ? error.getString("message") : option + ": " + error.getString("message");
    if (response.statusCode() == 401) {
      message += " (the token comes from TOKENROUTER_ADMIN_TOKEN or admin.token)";
    }
    return new CliException(message, response.statusCode() == 400 ? 2 : 1);
  }

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  private static String query(Map<String, String> params) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> {
      if (v != null) {
        q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return q.toString();
  }
}
