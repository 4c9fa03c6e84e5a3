package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.Completion;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/** Turns an Anthropic {@code message} into an OpenAI {@code chat.completion}. */
final class AnthropicReplyTranslator {
  private AnthropicReplyTranslator() {}

  /**
   * @param promptEstimate counts the prompt when the reply carries no usage
   * @param countText counts generated text when the reply carries no usage
   */
  static Completion translate(String provider, Buffer body, IntSupplier promptEstimate,
      ToIntFunction<String> countText) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(body.getBytes());
    } catch (Exception e) {
      throw UpstreamException.protocol(provider, "the reply is not JSON");
    }
    if (message == null || !message.path("content").isArray()) {
      throw UpstreamException.protocol(provider, "the reply has no content array");
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    for (JsonNode block : message.get("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText(""));
        case "thinking" -> thinking.append(block.path("thinking").asText(""));
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function");
          JsonNode input = block.get("input");
          call.putObject("function").put("name", block.path("name").asText())
              .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
        }
        default -> { }
      }
    }

    ObjectNode out = Json.MAPPER.createObjectNode()
        .put("id", message.path("id").asText())
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", message.path("model").asText());
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode reply = choice.putObject("message").put("role", "assistant");
    if (text.isEmpty()) {
      reply.putNull("content");
    } else {
      reply.put("content", text.toString());
    }
    // DeepSeek's field for visible reasoning, which OpenAI-format clients already understand
    if (!thinking.isEmpty()) {
      reply.put("reasoning_content", thinking.toString());
    }
    if (!toolCalls.isEmpty()) {
      reply.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));

    AnthropicUsage reported = new AnthropicUsage();
    reported.add(message.get("usage"));
    Usage usage = reported.reported() ? reported.toUsage()
        : new Usage(promptEstimate.getAsInt(),
            countText.applyAsInt(text.toString()) + countText.applyAsInt(thinking.toString())
                + (toolCalls.isEmpty() ? 0 : countText.applyAsInt(toolCalls.toString())), 0, 0, true);
    out.set("usage", AnthropicUsage.toOpenAi(usage));
    return new Completion(Buffer.buffer(out.toString()), usage);
  }

  /** Anthropic's stop_reason as an OpenAI finish_reason. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }
}
