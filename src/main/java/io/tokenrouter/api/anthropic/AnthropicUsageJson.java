package io.tokenrouter.api.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.Usage;

/**
 * Usage in Anthropic's terms: {@code input_tokens} counts only the input neither read from nor
 * written to the cache; writes and reads are reported beside it, one-hour writes apart.
 */
final class AnthropicUsageJson {
  private AnthropicUsageJson() {}

  static ObjectNode of(Usage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode()
        .put("input_tokens", usage.uncachedInputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cacheReadTokens());
    if (usage.cacheWrite1hTokens() > 0) {
      node.putObject("cache_creation")
          .put("ephemeral_5m_input_tokens", usage.cacheWriteTokens() - usage.cacheWrite1hTokens())
          .put("ephemeral_1h_input_tokens", usage.cacheWrite1hTokens());
    }
    node.put("output_tokens", usage.completionTokens());
    return node;
  }
}
