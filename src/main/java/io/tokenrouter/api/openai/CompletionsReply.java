package io.tokenrouter.api.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.SseWriter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes a legacy completion: the provider's own bytes when it speaks this API, else
 * {@code text_completion} objects built from neutral events (one per text delta for a stream,
 * then the finish, usage when asked for, and {@code data: [DONE]}).
 */
final class CompletionsReply implements ClientReply {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private final Call call;
  private final HttpServerResponse response;
  private final boolean stream;
  private final SseWriter sse;
  private final long created = System.currentTimeMillis() / 1000;
  private final StringBuilder text = new StringBuilder();
  private boolean raw;
  private Buffer rawBody;
  private String id;
  private String model;
  private Usage usage;
  private StopReason stop;

  CompletionsReply(Call call, HttpServerResponse response) {
    this.call = call;
    this.response = response;
    this.stream = call.envelope().stream();
    this.sse = stream ? new SseWriter(response) : null;
  }

  @Override
  public void begin() {
    if (stream) {
      sse.begin();
    }
  }

  @Override
  public void event(ReplyEvent event) {
    switch (event) {
      case ReplyEvent.Raw r -> {
        raw = true;
        if (stream) {
          sse.event(r.event(), r.data());
        } else {
          rawBody = Buffer.buffer(r.data());
        }
      }
      case ReplyEvent.Start s -> {
        id = s.id();
        model = s.model();
      }
      case ReplyEvent.TextDelta t -> {
        if (stream) {
          sse.event(null, Json.bytes(completion(t.text(), null)));
        } else {
          text.append(t.text());
        }
      }
      case ReplyEvent.Stop s -> {
        stop = s.reason();
        if (stream) {
          sse.event(null, Json.bytes(completion("", ChatReply.finishReason(stop))));
        }
      }
      case ReplyEvent.UsageReport u -> usage = u.usage();
      default -> { }
    }
  }

  private ObjectNode completion(String piece, String finishReason) {
    ObjectNode out = Json.MAPPER.createObjectNode()
        .put("id", id != null ? id : "cmpl-" + call.id())
        .put("object", "text_completion")
        .put("created", created)
        .put("model", model != null ? model : call.target() != null ? call.target().model() : call.envelope().model());
    ObjectNode choice = out.putArray("choices").addObject().put("text", piece).put("index", 0);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return out;
  }

  @Override
  public void end(GatewayError error) {
    if (!stream) {
      if (error != null) {
        ErrorReply reply = OpenAiErrors.render(error);
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(reply.body());
        return;
      }
      Buffer body = rawBody;
      if (!raw) {
        ObjectNode whole = completion(text.toString(), ChatReply.finishReason(stop));
        if (usage != null) {
          whole.set("usage", OpenAiUsageJson.of(usage));
        }
        body = Buffer.buffer(Json.bytes(whole));
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
      return;
    }
    if (error != null) {
      sse.event(null, OpenAiErrors.render(error).body().getBytes());
    } else if (!raw && usage != null && call.envelope().clientWantsStreamUsage()) {
      ObjectNode last = completion("", null);
      last.putArray("choices");
      last.set("usage", OpenAiUsageJson.of(usage));
      sse.event(null, Json.bytes(last));
    }
    sse.event(null, DONE);
    sse.end();
  }


  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drain(Runnable then) {
    response.drainHandler(v -> then.run());
  }
}
