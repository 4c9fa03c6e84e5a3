package io.tokenrouter.support;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a streamed answer event by event, the way an SDK does. */
public final class SseClient implements AutoCloseable {
  private final HttpResponse<InputStream> response;
  private final BufferedReader reader;

  public SseClient(HttpClient http, HttpRequest request) throws Exception {
    this.response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  /** The next event's data, or null at the end of the stream. */
  public String next() throws Exception {
    String line;
    StringBuilder data = null;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return data.toString();
        }
        continue;
      }
      if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
      }
    }
    return data == null ? null : data.toString();
  }

  public List<String> rest() throws Exception {
    List<String> events = new ArrayList<>();
    String e;
    while ((e = next()) != null) {
      events.add(e);
    }
    return events;
  }

  /** The text a client reassembles from a stream's chunks: the concatenated delta contents. */
  public static String text(List<String> events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      if (!e.startsWith("{")) {
        continue;
      }
      io.vertx.core.json.JsonObject chunk = new io.vertx.core.json.JsonObject(e);
      if (chunk.containsKey("choices") && !chunk.getJsonArray("choices").isEmpty()) {
        String c = chunk.getJsonArray("choices").getJsonObject(0)
            .getJsonObject("delta", new io.vertx.core.json.JsonObject()).getString("content");
        if (c != null) {
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws Exception {
    response.body().close();
  }
}
