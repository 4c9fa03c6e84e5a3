package io.tokenrouter.api.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.Usage;

/**
 * Usage in OpenAI's terms: {@code prompt_tokens} includes cached input, reads are
 * {@code prompt_tokens_details.cached_tokens}, writes {@code cache_write_tokens} beside them (as
 * OpenAI's newer models report them), reasoning {@code completion_tokens_details.reasoning_tokens}.
 * Details that are zero are left out, as OpenAI-compatible servers commonly do.
 */
final class OpenAiUsageJson {
  private OpenAiUsageJson() {}

  static ObjectNode of(Usage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    ObjectNode prompt = node.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
    if (usage.cacheWriteTokens() > 0) {
      prompt.put("cache_write_tokens", usage.cacheWriteTokens());
    }
    if (usage.reasoningTokens() > 0) {
      node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    }
    return node;
  }
}
