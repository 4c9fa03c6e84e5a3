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
  private static final long LIMIT = 200_000;
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
      String text = new String(body, StandardCharsets.UTF_8);
      ctx.response().end(body.length + " " + (text.length() > 40 ? text.substring(0, 20) + "…" + text.substring(text.length() - 20) : text));
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
  void aDeclaredBodyInManyChunksArrivesWhole() throws Exception {
    String body = "{\"t\":\"" + "0123456789".repeat(15_000) + "\"}";
    Answer a = send(r -> r.send(Buffer.buffer(body)));

    assertThat(a).isEqualTo(new Answer(200, body.length() + " {\"t\":\"01234567890123…234567890123456789\"}"));
  }

  @Test
  void aLongChunkedBodyArrivesWhole() throws Exception {
    Answer a = send(r -> {
      r.setChunked(true);
      for (int i = 0; i < 10; i++) {
        r.write(String.valueOf(i).repeat(10_000));
      }
      return r.end().compose(v -> r.response());
    });

    assertThat(a).isEqualTo(new Answer(200, "100000 00000000000000000000…99999999999999999999"));
  }

  @Test
  void smallAndLargeChunksArriveInTheirOrder() throws Exception {
    List<String> parts = List.of("a", "b".repeat(5_000), "c", "d", "e".repeat(2_000), "f");
    Answer a = send(r -> {
      r.setChunked(true);
      parts.forEach(r::write);
      return r.end().compose(v -> r.response());
    });

    String body = String.join("", parts);
    assertThat(a).isEqualTo(new Answer(200, body.length() + " " + body.substring(0, 20) + "…"
        + body.substring(body.length() - 20)));
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
      for (int i = 0; i < 11; i++) {
        r.write("x".repeat(20_000));
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
