package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body a model API handler gets, read by {@link RequestBodyReader} on a real server. */
class RequestBodyReaderTest {
  private static final long LIMIT = 64;
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    // answers with the body's length, the length of the array it came in, and the body
    router.post("/echo").handler(new RequestBodyReader(LIMIT)).handler(ctx -> {
      byte[] body = RequestBodyReader.of(ctx);
      ctx.response().end(body.length + " " + new String(body, StandardCharsets.UTF_8));
    });
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record Answer(int status, String body) {}

  private Answer send(Function<HttpClientRequest, io.vertx.core.Future<HttpClientResponse>> sending) throws Exception {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(server.actualPort()).setURI("/echo"))
        .compose(sending)
        .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString(StandardCharsets.UTF_8))))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeclaredBodyArrivesWhole() throws Exception {
    Answer a = send(r -> r.send(Buffer.buffer("{\"model\":\"m\"}")));

    assertThat(a).isEqualTo(new Answer(200, "13 {\"model\":\"m\"}"));
  }

  @Test
  void aChunkedBodyArrivesWholeInOrder() throws Exception {
    Answer a = send(r -> {
      r.setChunked(true);
      for (String part : List.of("{\"a\":", "\"héllo\"", ",\"b\":2}")) {
        r.write(part);
      }
      return r.end().compose(v -> r.response());
    });

    assertThat(a).isEqualTo(new Answer(200, "20 {\"a\":\"héllo\",\"b\":2}"));
  }

  @Test
  void aDeclaredBodyPastTheLimitIs413() throws Exception {
    Answer a = send(r -> r.send(Buffer.buffer("x".repeat((int) LIMIT + 1))));

    assertThat(a.status()).isEqualTo(413);
  }

  @Test
  void aChunkedBodyThatGrowsPastTheLimitIs413() throws Exception {
    Answer a = send(r -> {
      r.setChunked(true);
      for (int i = 0; i < 5; i++) {
        r.write("x".repeat(20));
      }
      return r.end().compose(v -> r.response());
    });

    assertThat(a.status()).isEqualTo(413);
  }

  @Test
  void aRequestWithoutABodyGetsAnEmptyOne() throws Exception {
    Answer a = send(HttpClientRequest::send);

    assertThat(a).isEqualTo(new Answer(200, "0 "));
  }
}
