package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.TimeoutConfig;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The pooled HTTP client of one provider, with its base URL and timeouts. Opening an exchange
 * completes when the response head arrives; the {@link UpstreamExchange} then carries the body.
 */
public final class HttpUpstream {
  private final Vertx vertx;
  private final String provider;
  private final HttpClientAgent client;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final TimeoutConfig timeouts;

  public HttpUpstream(Vertx vertx, ProviderConfig config) {
    this.vertx = vertx;
    this.provider = config.name();
    this.timeouts = config.timeouts();
    URI uri = URI.create(config.baseUrl());
    this.ssl = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) timeouts.connect().toMillis())
        .setKeepAlive(config.keepAlive())
        .setTcpKeepAlive(config.keepAlive())
        .setKeepAliveTimeout((int) timeouts.poolIdle().toSeconds())
        .setTcpNoDelay(true)
        .setDecompressionSupported(true)
        .setSsl(ssl)
        .setVerifyHost(true);
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(config.maxConnections()))
        .withConnectHandler(PieceWriter::install)
        .build();
  }

  public String provider() {
    return provider;
  }

  /**
   * Sends {@code body} to {@code basePath + path}. Fails with a {@link GatewayError} on a connect
   * error, when no response head arrives within the first-byte timeout, or when
   * {@code cancellation} fires first (the request is then reset).
   */
  public Future<UpstreamExchange> send(HttpMethod method, String path, MultiMap headers, Buffer body,
      Cancellation cancellation) {
    return send(method, path, headers, req -> req.send(body), cancellation);
  }

  /** Like {@link #send(HttpMethod, String, MultiMap, Buffer, Cancellation)}, the body piped from {@code body} as it comes. */
  public Future<UpstreamExchange> send(HttpMethod method, String path, MultiMap headers, ReadStream<Buffer> body,
      Cancellation cancellation) {
    return send(method, path, headers, req -> req.send(body), cancellation);
  }

  private Future<UpstreamExchange> send(HttpMethod method, String path, MultiMap headers,
      Function<HttpClientRequest, Future<HttpClientResponse>> sendBody, Cancellation cancellation) {
    RequestOptions request = new RequestOptions()
        .setMethod(method)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(basePath + path)
        .setHeaders(headers);
    Promise<UpstreamExchange> head = Promise.promise();
    Future<HttpClientRequest> opened;
    try {
      opened = client.request(request);
    } catch (IllegalStateException closed) {
      // the adapter was retired by a reload and closed: another target (or attempt) may serve
      return Future.failedFuture(GatewayError.unreachable(provider, "the connection pool is closed"));
    }
    opened.onComplete(ar -> {
      if (ar.failed()) {
        head.tryFail(GatewayError.unreachable(provider, String.valueOf(ar.cause().getMessage())));
        return;
      }
      HttpClientRequest req = ar.result();
      UpstreamExchange exchange = new UpstreamExchange(vertx, provider, req, timeouts);
      exchange.armFirstByte(head);
      cancellation.onCancel(() -> exchange.abandon(head));
      sendBody.apply(req).onComplete(sent -> {
        if (sent.succeeded()) {
          exchange.headArrived(sent.result(), head);
        } else {
          exchange.failBeforeHead(head, sent.cause());
        }
      });
    });
    return head.future();
  }

  /**
   * GETs {@code basePath + path} and reads the whole body, all within {@code timeout}; fails
   * with a {@link GatewayError} on anything but a 2xx answer.
   */
  public Future<Buffer> get(String path, MultiMap headers, Duration timeout) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(basePath + path)
        .setHeaders(headers)
        .setIdleTimeout(timeout.toMillis());
    return client.request(request)
        .compose(req -> req.send())
        .compose(resp -> resp.body().compose(body -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(body)
            : Future.failedFuture(UpstreamStatus.toError(provider, resp.statusCode(), resp.headers(), body))))
        .recover(e -> Future.failedFuture(e instanceof GatewayError ? e
            : GatewayError.unreachable(provider, String.valueOf(e.getMessage()))));
  }

  /**
   * Stops taking requests and closes the pool once the exchanges in flight are over, waiting at
   * most the total timeout (a provider retired by a configuration reload finishes its answers).
   */
  public Future<Void> close() {
    return client.shutdown(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
  }
}
