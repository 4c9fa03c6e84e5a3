package io.tokenrouter.provider.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.Completion;
import io.tokenrouter.provider.Provider;
import io.tokenrouter.provider.StreamHandle;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider without a network: the reply is derived from the last user message
 * ("Echo: ..."), streamed one word per chunk with the configured delay, and usage is counted
 * with the gateway's tokenizer. Deterministic, so demos and tests can assert on it.
 */
public final class MockProvider implements Provider {
  private final Vertx vertx;
  private final String name;
  private final long chunkDelayMs;
  private final TokenEstimator estimator;

  public MockProvider(Vertx vertx, ProviderConfig config, TokenEstimator estimator) {
    this.vertx = vertx;
    this.name = config.name();
    this.chunkDelayMs = Math.max(1, config.mock().chunkDelay().toMillis());
    this.estimator = estimator;
  }

  /** The reply the mock gives to a request: public so tests and the README agree with it. */
  public static String replyTo(Envelope request) {
    String last = "";
    for (Message m : request.messages()) {
      if ("user".equals(m.role())) {
        last = m.text();
      }
    }
    return "Echo: " + last;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Completion> complete(Envelope request, String upstreamModel) {
    String reply = replyTo(request);
    Usage usage = usage(request, upstreamModel, words(reply).size());
    ObjectNode body = Json.MAPPER.createObjectNode()
        .put("id", "chatcmpl-mock-" + Integer.toHexString(reply.hashCode()))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", upstreamModel);
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", reply);
    choice.put("finish_reason", "stop");
    body.set("usage", usageJson(usage));
    return Future.succeededFuture(new Completion(Buffer.buffer(body.toString()), usage));
  }

  @Override
  public Future<StreamHandle> stream(Envelope request, String upstreamModel, ChunkSink sink) {
    List<String> words = words(replyTo(request));
    MockStream stream = new MockStream(request, upstreamModel, words, sink);
    vertx.setTimer(chunkDelayMs, id -> stream.next());
    return Future.succeededFuture(stream);
  }

  private Usage usage(Envelope request, String model, int completionTokens) {
    return new Usage(estimator.countPrompt(request, model), completionTokens, 0, 0, false);
  }

  private static ObjectNode usageJson(Usage usage) {
    return Json.MAPPER.createObjectNode()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
  }

  /** Splits on spaces, keeping each space with the word before it, so the chunks concatenate back. */
  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  /** One running mock stream; lives on the event loop that started it. */
  private final class MockStream implements StreamHandle {
    private final Envelope request;
    private final String model;
    private final List<String> words;
    private final ChunkSink sink;
    private final String id = "chatcmpl-mock-" + Long.toHexString(System.nanoTime());
    private final long created = System.currentTimeMillis() / 1000;
    private int index = -1;
    private boolean paused;
    private boolean cancelled;
    private boolean scheduled = true;

    MockStream(Envelope request, String model, List<String> words, ChunkSink sink) {
      this.request = request;
      this.model = model;
      this.words = words;
      this.sink = sink;
    }

    void next() {
      scheduled = false;
      if (cancelled || paused) {
        return;
      }
      ObjectNode chunk = chunk();
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      ObjectNode delta = choice.putObject("delta");
      boolean content = false;
      if (index < 0) {
        delta.put("role", "assistant").put("content", "");
        choice.putNull("finish_reason");
      } else if (index < words.size()) {
        delta.put("content", words.get(index));
        choice.putNull("finish_reason");
        content = true;
      } else {
        choice.put("finish_reason", "stop");
      }
      sink.onChunk(Buffer.buffer(chunk.toString()), content);
      index++;
      if (index <= words.size()) {
        schedule();
        return;
      }
      Usage usage = usage(request, model, words.size());
      if (request.clientWantsStreamUsage()) {
        ObjectNode last = chunk();
        last.putArray("choices");
        last.set("usage", usageJson(usage));
        sink.onChunk(Buffer.buffer(last.toString()), false);
      }
      cancelled = true;
      sink.onEnd(usage, null);
    }

    private ObjectNode chunk() {
      return Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
          .put("created", created).put("model", model);
    }

    private void schedule() {
      if (!scheduled) {
        scheduled = true;
        vertx.setTimer(chunkDelayMs, t -> next());
      }
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      if (paused && !cancelled) {
        paused = false;
        schedule();
      }
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        sink.onEnd(new Usage(estimator.countPrompt(request, model), Math.max(0, index), 0, 0, true), null);
      }
    }
  }
}
