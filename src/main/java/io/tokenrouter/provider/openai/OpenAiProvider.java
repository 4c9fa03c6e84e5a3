package io.tokenrouter.provider.openai;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.Completion;
import io.tokenrouter.provider.HttpUpstream;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.Provider;
import io.tokenrouter.provider.SseParser;
import io.tokenrouter.provider.StreamHandle;
import io.tokenrouter.provider.UpstreamStatus;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * OpenAI's chat completions API, and every server that speaks it (DeepSeek, vLLM, Ollama,
 * SiliconFlow...). Replies are already in the client's format: bytes are relayed, only tapped.
 */
public final class OpenAiProvider implements Provider {
  private static final String PATH = "/chat/completions";
  private final String name;
  private final HttpUpstream upstream;
  private final MultiMap headers;
  private final TokenEstimator estimator;

  public OpenAiProvider(Vertx vertx, ProviderConfig config, TokenEstimator estimator) {
    this.name = config.name();
    this.upstream = new HttpUpstream(vertx, config);
    this.estimator = estimator;
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    if (!config.apiKey().isEmpty()) {
      h.add(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey());
    }
    for (Map.Entry<String, String> e : config.headers().entrySet()) {
      h.add(e.getKey(), e.getValue());
    }
    this.headers = h;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Completion> complete(Envelope request, String upstreamModel) {
    return upstream.post(PATH, headers, OpenAiRequestWriter.write(request, upstreamModel))
        .compose(exchange -> exchange.body().compose(body -> {
          if (exchange.status() / 100 != 2) {
            return Future.failedFuture(UpstreamStatus.toException(name, exchange.status(), body));
          }
          Usage usage = OpenAiUsage.read(JsonTaps.topLevelField(body.getBytes(), "usage"));
          if (usage == null) {
            usage = new Usage(estimator.countPrompt(request, upstreamModel), estimateCompletion(upstreamModel, body), 0, 0, true);
          }
          return Future.succeededFuture(new Completion(body, usage));
        }));
  }

  @Override
  public Future<StreamHandle> stream(Envelope request, String upstreamModel, ChunkSink sink) {
    return upstream.post(PATH, headers, OpenAiRequestWriter.write(request, upstreamModel))
        .compose(exchange -> {
          if (exchange.status() / 100 != 2) {
            return exchange.body().compose(body ->
                Future.failedFuture(UpstreamStatus.toException(name, exchange.status(), body)));
          }
          OpenAiStreamTap tap = new OpenAiStreamTap(name, request.clientWantsStreamUsage(), sink,
              () -> estimator.countPrompt(request, upstreamModel), exchange::cancel);
          SseParser parser = new SseParser(tap::onEvent);
          exchange.stream(parser::feed, error -> {
            if (error == null) {
              parser.end();
            }
            tap.onClose(error);
          });
          return Future.succeededFuture(exchange);
        });
  }

  private int estimateCompletion(String model, Buffer body) {
    var choices = JsonTaps.topLevelField(body.getBytes(), "choices");
    if (choices == null) {
      return 0;
    }
    int total = 0;
    for (var choice : choices) {
      total += estimator.countText(model, choice.path("message").path("content").asText(""));
    }
    return total;
  }

  @Override
  public Future<Void> close() {
    return upstream.close();
  }
}
