package io.tokenrouter.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads a Gemini {@code GenerateContentResponse}, whole or as the chunks of a stream, into neutral
 * events: text parts as text, {@code thought} parts as reasoning, each {@code functionCall} as a
 * tool call (Gemini names no call ids before its newer models, so the gateway makes them; a
 * call's thought signature rides in its id, see {@link ThoughtSignatures});
 * {@code usageMetadata} as usage, cached and thinking tokens included; the
 * {@code finishReason} as the stop.
 */
final class GeminiDecoder implements ReplyDecoder {
  private final String provider;
  private boolean started;
  private int nextBlock;
  private int openBlock = -1;
  private BlockKind openKind;
  private boolean calledTools;
  private boolean stopped;

  GeminiDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    chunk(parse(body), out);
    if (!stopped) {
      stop(StopReason.END_TURN, out);
    }
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    chunk(parse(data), out);
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!stopped) {
      throw GatewayError.badResponse(provider, "the stream ended before a finishReason");
    }
  }

  private void chunk(JsonNode response, Consumer<ReplyEvent> out) {
    if (response.has("error")) {
      throw GatewayError.midStream(provider, response.path("error").path("message").asText("stream error"));
    }
    if (!started) {
      started = true;
      out.accept(new ReplyEvent.Start(response.path("responseId").asText(null),
          response.path("modelVersion").asText(null)));
    }
    JsonNode candidate = response.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      part(part, out);
    }
    if (candidate.path("finishReason").isTextual()) {
      stop(stopReason(candidate.get("finishReason").asText()), out);
    } else if (response.path("promptFeedback").path("blockReason").isTextual()) {
      stop(StopReason.REFUSAL, out);
    }
    Usage usage = usage(response.get("usageMetadata"));
    if (usage != null) {
      out.accept(new ReplyEvent.UsageReport(usage));
    }
  }

  private void part(JsonNode part, Consumer<ReplyEvent> out) {
    if (part.has("functionCall")) {
      JsonNode call = part.get("functionCall");
      calledTools = true;
      String id = ThoughtSignatures.attach(call.path("id").asText("call_" + nextBlock),
          part.path("thoughtSignature").asText(null));
      open(BlockKind.TOOL_USE, id, call.path("name").asText(""), out);
      JsonNode args = call.get("args");
      out.accept(new ReplyEvent.ToolInputDelta(openBlock, args == null || args.isNull() ? "{}" : args.toString()));
      close(out);
      return;
    }
    String text = part.path("text").asText("");
    if (text.isEmpty()) {
      return;
    }
    BlockKind kind = part.path("thought").asBoolean(false) ? BlockKind.THINKING : BlockKind.TEXT;
    if (openBlock < 0 || openKind != kind) {
      open(kind, null, null, out);
    }
    out.accept(kind == BlockKind.TEXT ? new ReplyEvent.TextDelta(openBlock, text)
        : new ReplyEvent.ThinkingDelta(openBlock, text));
  }

  private void open(BlockKind kind, String id, String name, Consumer<ReplyEvent> out) {
    close(out);
    openBlock = nextBlock++;
    openKind = kind;
    out.accept(new ReplyEvent.BlockStart(openBlock, kind, id, name));
  }

  private void close(Consumer<ReplyEvent> out) {
    if (openBlock >= 0) {
      out.accept(new ReplyEvent.BlockStop(openBlock));
      openBlock = -1;
      openKind = null;
    }
  }

  private void stop(StopReason reason, Consumer<ReplyEvent> out) {
    if (stopped) {
      return;
    }
    stopped = true;
    close(out);
    out.accept(new ReplyEvent.Stop(reason == StopReason.END_TURN && calledTools ? StopReason.TOOL_USE : reason, null));
  }

  /** Gemini's finishReason in neutral terms. */
  static StopReason stopReason(String finishReason) {
    return switch (finishReason) {
      case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> StopReason.REFUSAL;
      default -> StopReason.END_TURN;
    };
  }

  /**
   * Gemini's usage: {@code promptTokenCount} includes cached tokens (reported apart as
   * {@code cachedContentTokenCount}); thinking tokens ({@code thoughtsTokenCount}) are billed as
   * output but not counted in {@code candidatesTokenCount}, so output is the sum.
   */
  static Usage usage(JsonNode meta) {
    if (meta == null || !meta.isObject()) {
      return null;
    }
    int thoughts = meta.path("thoughtsTokenCount").asInt(0);
    int prompt = meta.path("promptTokenCount").asInt(0) + meta.path("toolUsePromptTokenCount").asInt(0);
    return new Usage(prompt, meta.path("candidatesTokenCount").asInt(0) + thoughts,
        meta.path("cachedContentTokenCount").asInt(0), 0, 0, thoughts, false);
  }

  private JsonNode parse(byte[] data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw GatewayError.badResponse(provider, "the reply is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "the reply is not valid JSON (" + JsonTaps.reason(e) + ")");
    }
  }
}
