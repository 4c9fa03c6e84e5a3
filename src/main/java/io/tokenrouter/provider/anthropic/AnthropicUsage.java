package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.reply.Usage;

/**
 * Anthropic's usage as it accumulates over a reply. Anthropic counts {@code input_tokens}
 * apart from the cached ones; the neutral prompt count includes them, so the three are summed.
 * Streams report usage in {@code message_start} and again, cumulatively, in
 * {@code message_delta}, and compatible servers sometimes in only one of them: each field keeps
 * the largest value seen.
 */
final class AnthropicUsage {
  private int input;
  private int output;
  private int cacheWrite;
  private int cacheWrite1h;
  private int cacheRead;
  private boolean reported;

  void add(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    reported = true;
    input = Math.max(input, usage.path("input_tokens").asInt(0));
    output = Math.max(output, usage.path("output_tokens").asInt(0));
    cacheWrite = Math.max(cacheWrite, usage.path("cache_creation_input_tokens").asInt(0));
    cacheWrite1h = Math.max(cacheWrite1h, usage.path("cache_creation").path("ephemeral_1h_input_tokens").asInt(0));
    cacheRead = Math.max(cacheRead, usage.path("cache_read_input_tokens").asInt(0));
  }

  boolean reported() {
    return reported;
  }

  Usage toUsage() {
    return new Usage(input + cacheWrite + cacheRead, output, cacheRead, cacheWrite, cacheWrite1h, 0, false);
  }
}
