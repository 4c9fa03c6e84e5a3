package io.tokenrouter.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.BufferedReply;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider reached over HTTP in the wire format of its {@link WireProtocol}: the pooled
 * transport, error statuses, whole answers read and checked before they count as a success,
 * streams relayed as they arrive.
 */
public final class HttpProvider implements OutboundAdapter {
  private final String name;
  private final HttpUpstream upstream;
  private final WireProtocol protocol;
  private final Duration listTimeout;

  public HttpProvider(Vertx vertx, ProviderConfig config, WireProtocol protocol) {
    this.name = config.name();
    this.listTimeout = config.timeouts().firstByte();
    this.upstream = new HttpUpstream(vertx, config);
    this.protocol = protocol;
  }

  @Override
  public Future<Reply> send(UpstreamRequest request) {
    WireProtocol.HttpRequestSpec http = protocol.write(request);
    Cancellation cancellation = request.cancellation();
    return upstream.post(http.path(), http.headers(), http.body(), cancellation).compose(exchange -> {
      if (exchange.status() / 100 != 2) {
        cancellation.onCancel(exchange::cancel);
        return exchange.body().compose(body ->
            Future.failedFuture(protocol.error(name, exchange.status(), exchange.headers(), body)));
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
    return protocol.supports(operation);
  }

  @Override
  public Future<Void> close() {
    return upstream.close();
  }
}
