import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;

/**
 * The floor of a relay on Vert.x 5, set up as the gateway sets up its server and client (native
 * epoll, one event loop, no WebSocket compression, a pooled keep-alive client): what HTTP/1.1
 * proxying costs with Vert.x's request and response layer and no gateway work, measured beside
 * nginx and the gateway by {@code bench/run.sh} with {@code FLOORS=1}. Not part of the product.
 *
 * <p>The request body is read whole (the gateway needs it whole too) and sent upstream; the answer
 * is relayed chunk by chunk, each written as it arrives. Requests under {@code /slow/} go to
 * SLOW_PORT with the prefix dropped (as the nginx beside it does), the others to UPSTREAM_PORT.
 *
 * <p>Run: {@code java -cp target/tokenrouter.jar bench/floor/VertxRelay.java PORT UPSTREAM_PORT SLOW_PORT}
 */
public final class VertxRelay {
  private static final String SLOW = "/slow/";

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int slowPort = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    HttpClient client = vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .requestHandler(request -> relay(client, request, upstreamPort, slowPort))
        .listen()
        .onSuccess(s -> System.out.println("vert.x relay on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static void relay(HttpClient client, HttpServerRequest request, int upstreamPort, int slowPort) {
    HttpServerResponse response = request.response();
    boolean slow = request.uri().startsWith(SLOW);
    String uri = slow ? request.uri().substring(SLOW.length() - 1) : request.uri();
    request.body()
        .compose(body -> client.request(request.method(), slow ? slowPort : upstreamPort, "127.0.0.1", uri).compose(upstream -> {
          upstream.putHeader(HttpHeaders.CONTENT_TYPE, request.getHeader(HttpHeaders.CONTENT_TYPE));
          return upstream.send(body);
        }))
        .onSuccess(answer -> {
          response.setStatusCode(answer.statusCode());
          String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
          if (type != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, type);
          }
          String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
          } else {
            response.setChunked(true);
          }
          answer.handler(response::write);
          answer.endHandler(v -> response.end());
        })
        .onFailure(e -> response.setStatusCode(502).end());
  }
}
