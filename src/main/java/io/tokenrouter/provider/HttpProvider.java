package io.tokenrouter.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.BufferedReply;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A provider reached over HTTP in the wire format of its {@link WireProtocol}: the pooled
 * transport, error statuses, whole answers read and checked before they count as a success,
 * streams relayed as they arrive. A request to relay as it is (a custom route) goes to the path
 * the client asked for, with the provider's credential in place of the client's key.
 */
public final class HttpProvider implements OutboundAdapter {
  private final String name;
  private final HttpUpstream upstream;
  private final WireProtocol protocol;
  private final Duration listTimeout;
  private final String defaultKey;
  private final Map<String, String> configuredHeaders;

  public HttpProvider(Vertx vertx, ProviderConfig config, WireProtocol protocol) {
    this.name = config.name();
    this.listTimeout = config.timeouts().firstByte();
    this.upstream = new HttpUpstream(vertx, config);
    this.protocol = protocol;
    this.defaultKey = config.keys().isEmpty() ? "" : config.keys().getFirst();
    this.configuredHeaders = config.headers();
  }

  @Override
  public Future<Reply> send(UpstreamRequest request) {
    if (request.envelope().operation() == Operation.RELAY) {
      return relay(request);
    }
    WireProtocol.HttpRequestSpec http = protocol.write(request);
    Cancellation cancellation = request.cancellation();
    return upstream.send(HttpMethod.POST, http.path(), http.headers(), http.body(), cancellation).compose(exchange -> {
      if (exchange.status() / 100 != 2) {
        return failure(exchange, cancellation);
      }
      ReplyDecoder decoder = protocol.decoder(request);
      if (request.envelope().stream() && request.envelope().operation() == Operation.GENERATE) {
        return Future.succeededFuture(new StreamReply(exchange, decoder));
      }
      cancellation.onCancel(exchange::cancel);
      return exchange.body().compose(body -> {
        List<ReplyEvent> events = new ArrayList<>(8);
        try {
          decoder.body(body.getBytes(), events::add);
        } catch (GatewayError e) {
          return Future.failedFuture(e);
        }
        return Future.succeededFuture(new BufferedReply(events));
      });
    });
  }

  private Future<Reply> failure(UpstreamExchange exchange, Cancellation cancellation) {
    cancellation.onCancel(exchange::cancel);
    return exchange.body().compose(body ->
        Future.failedFuture(protocol.error(name, exchange.status(), exchange.headers(), body)));
  }

  /**
   * Relays the client's request as it is: its method, path and headers (its key excepted, which
   * never left the gateway), the provider's credential added, its body piped as it arrives. A
   * JSON answer is read whole before it counts as a success; any other flows back as it arrives.
   */
  private Future<Reply> relay(UpstreamRequest request) {
    Envelope env = request.envelope();
    Map<String, String> line = env.headers();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    line.forEach((header, value) -> {
      if (!header.startsWith(":")) {
        headers.set(header, value);
      }
    });
    String credentialHeader = line.get(PassThrough.CREDENTIAL_HEADER);
    String key = request.apiKey() == null || request.apiKey().isEmpty() ? defaultKey : request.apiKey();
    if (credentialHeader == null) {
      headers.addAll(protocol.credentials(key));
    } else if (!key.isEmpty()) {
      headers.set(credentialHeader, credentialHeader.equalsIgnoreCase("authorization") ? "Bearer " + key : key);
    }
    configuredHeaders.forEach(headers::set);
    Cancellation cancellation = request.cancellation();
    HttpMethod method = HttpMethod.valueOf(line.get(PassThrough.METHOD));
    String path = line.get(PassThrough.PATH);
    Future<UpstreamExchange> sent = request.bodyStream() != null
        ? upstream.send(method, path, headers, request.bodyStream(), cancellation)
        : upstream.send(method, path, headers, RequestBodies.of(env.original() == null ? new byte[0] : env.original()),
            cancellation);
    return sent.compose(exchange -> {
      if (exchange.status() / 100 != 2) {
        return failure(exchange, cancellation);
      }
      ReplyEvent.Head head = PassThrough.head(exchange);
      if (!PassThrough.JSON.equals(line.get(PassThrough.KIND))) {
        return Future.succeededFuture(new PassThroughReply(exchange, head));
      }
      cancellation.onCancel(exchange::cancel);
      return exchange.body().compose(whole -> PassThrough.isJson(whole)
          ? Future.succeededFuture(new BufferedReply(List.of(head, new ReplyEvent.Raw(null, whole.getBytes(),
              false, null))))
          : Future.failedFuture(GatewayError.badResponse(name, "the answer is not JSON")));
    });
  }

  @Override
  public Future<List<String>> models(String apiKey) {
    WireProtocol.HttpRequestSpec http = protocol.listModels(apiKey);
    if (http == null) {
      return Future.succeededFuture(List.of());
    }
    return upstream.get(http.path(), http.headers(), listTimeout).compose(body -> {
      JsonNode data = JsonTaps.topLevelField(body.getBytes(), "data");
      if (data == null || !data.isArray()) {
        return Future.failedFuture(GatewayError.badResponse(name, "the model list has no data array"));
      }
      List<String> ids = new ArrayList<>(data.size());
      for (JsonNode model : data) {
        if (model.path("id").isTextual()) {
          ids.add(model.path("id").asText());
        }
      }
      return Future.succeededFuture(ids);
    });
  }

  @Override
  public boolean listsModels() {
    return protocol.listModels("") != null;
  }

  @Override
  public boolean supports(Operation operation) {
    return operation == Operation.RELAY || protocol.supports(operation);
  }

  @Override
  public Future<Void> close() {
    return upstream.close();
  }
}
