package io.tokenrouter.support;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Drives one API's reply writer ({@link InboundAdapter#reply}) with a scripted sequence of reply
 * events on a real HTTP response, and returns what a client received: the writer under test, alone.
 */
public final class ReplyHarness implements AutoCloseable {
  /** The call's request id; a writer names answers without a provider id after it. */
  public static final String REQUEST_ID = "req-1";
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile Script script;

  private record Script(InboundAdapter api, Envelope envelope, String targetModel, List<ReplyEvent> events,
      GatewayError error) {}

  public ReplyHarness() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      Script s = script;
      Call call = new Call(REQUEST_ID, "/test", HttpMethod.POST, "/test", MultiMap.caseInsensitiveMultiMap(), null,
          b.getBytes(), s.api(),
          (c, outcome) -> { });
      call.envelope(s.envelope());
      call.target(new Target("provider", null, s.targetModel()));
      ClientReply reply = s.api().reply(call, req.response());
      reply.begin();
      s.events().forEach(reply::event);
      reply.end(s.error());
    }));
    server.listen(0, "127.0.0.1").await();
  }

  /** What a client receives when {@code api}'s writer is given {@code events}, then {@code error} (or a clean end). */
  public HttpResponse<String> render(InboundAdapter api, Envelope envelope, String targetModel, List<ReplyEvent> events,
      GatewayError error) {
    script = new Script(api, envelope, targetModel, List.copyOf(events), error);
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError("reply harness: " + e, e);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
