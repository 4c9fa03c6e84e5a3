package io.tokenrouter.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Asks {@code GET /admin/info} at a URL whether a gateway serves there, and if so which database:
 * what the command line needs to decide between the gateway's admin API and the database.
 */
final class GatewayProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private GatewayProbe() {}

  /** What the URL answered. */
  sealed interface Answer {
    /** A gateway with the admin API, serving {@code database}. */
    record Gateway(String database) implements Answer {}

    /** Nothing listens there. */
    record Refused() implements Answer {}

    /** Something listens and does not answer in time. */
    record Silent() implements Answer {}

    record Unauthorized() implements Answer {}

    /** Something that is not a TokenRouter admin API (or a gateway whose admin API is off). */
    record NoAdminApi(int status) implements Answer {}

    record Unreachable(String why) implements Answer {}
  }

  static Answer probe(String base, String token) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/admin/info")).timeout(TIMEOUT).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401) {
        return new Answer.Unauthorized();
      }
      if (r.statusCode() == 200) {
        try {
          String database = new JsonObject(r.body()).getString("database");
          if (database != null) {
            return new Answer.Gateway(database);
          }
        } catch (DecodeException | ClassCastException e) {
          // not ours: reported below
        }
      }
      return new Answer.NoAdminApi(r.statusCode());
    } catch (ConnectException e) {
      return new Answer.Refused();
    } catch (HttpTimeoutException e) {
      return new Answer.Silent();
    } catch (IOException | IllegalArgumentException e) {
      return new Answer.Unreachable(String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unreachable("interrupted");
    }
  }
}
