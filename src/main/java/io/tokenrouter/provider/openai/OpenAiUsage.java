package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.reply.Usage;

/**
 * Normalises the usage object of OpenAI and of OpenAI-compatible servers. OpenAI reports cache
 * reads as {@code prompt_tokens_details.cached_tokens} (and writes as {@code cache_write_tokens}
 * on newer models); DeepSeek as {@code prompt_cache_hit_tokens} next to
 * {@code prompt_cache_miss_tokens}, both part of {@code prompt_tokens}.
 */
public final class OpenAiUsage {
  private OpenAiUsage() {}

  /** Null when the node is absent or null (the non-final chunks of a stream). */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    JsonNode details = usage.path("prompt_tokens_details");
    int cacheRead = details.path("cached_tokens").asInt(0);
    if (cacheRead == 0) {
      cacheRead = usage.path("prompt_cache_hit_tokens").asInt(0);
    }
    int cacheWrite = details.path("cache_write_tokens").asInt(usage.path("cache_write_tokens").asInt(0));
    int reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0);
    return new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
        cacheRead, cacheWrite, 0, reasoning, false);
  }
}
