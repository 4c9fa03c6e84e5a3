package io.tokenrouter.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prompt pipeline: the stages that rewrite requests so providers' prompt caches hit, and the
 * sharing of identical requests in flight.
 *
 * @param enabled the whole pipeline; when false requests pass as the client sent them
 * @param off stages turned off for every request ({@code chunker}, {@code arranger},
 *     {@code canonicalizer}, {@code hasher}, {@code cache_injector}, {@code dedup}); a model
 *     mapping and a key may turn off more, never turn one back on
 * @param historyBudgetTokens when set, conversations longer than this are cut from the oldest
 *     turns (system, tools and the newest turns kept); null keeps every turn
 * @param header whether answers carry {@code x-tokenrouter-pipeline}, saying what was done
 * @param cacheKeyProviders providers sent OpenAI's {@code prompt_cache_key}; null means every
 *     provider of type {@code openai} whose base URL is {@code api.openai.com}
 * @param cacheKeySpread how many cache keys one caller's conversations with the same tools and
 *     instructions are spread over (OpenAI spills past about 15 requests a minute per key and
 *     prefix); 1 keeps them together
 * @param minCacheTokens an Anthropic model's (glob) smallest cacheable prefix, where it differs
 *     from the built-in table
 */
public record PipelineConfig(Boolean enabled, List<String> off, Integer historyBudgetTokens, Boolean header,
    List<String> cacheKeyProviders, Integer cacheKeySpread, Map<String, Integer> minCacheTokens, DedupConfig dedup) {
  public PipelineConfig {
    enabled = enabled == null || enabled;
    off = off == null ? List.of() : List.copyOf(off);
    header = header == null || header;
    cacheKeyProviders = cacheKeyProviders == null ? null : List.copyOf(cacheKeyProviders);
    cacheKeySpread = cacheKeySpread == null ? 1 : cacheKeySpread;
    minCacheTokens = minCacheTokens == null ? Map.of() : Map.copyOf(minCacheTokens);
    dedup = dedup == null ? new DedupConfig(null, null) : dedup;
  }

  /** The stages that can be turned off, by the names configuration and key settings use. */
  public enum Stage {
    CHUNKER, ARRANGER, CANONICALIZER, HASHER, CACHE_INJECTOR, DEDUP;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The stage named {@code name} (any case, {@code -} or {@code _}), or null. */
    public static Stage parse(String name) {
      String upper = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Stage s : values()) {
        if (s.name().equals(upper)) {
          return s;
        }
      }
      return null;
    }
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(null, null, null, null, null, null, null, null);
  }

  /**
   * Sharing one upstream call between identical non-streamed requests in flight at once.
   *
   * @param maxWait how long a request waits for another's answer (on this instance or, through
   *     Redis, on another) before it asks the provider itself
   * @param shareSampled also share requests that sample (any but {@code temperature: 0}, since
   *     every provider samples by default): off by default, since a client sending the same
   *     sampled request twice may want two different answers
   */
  public record DedupConfig(Duration maxWait, Boolean shareSampled) {
    public DedupConfig {
      maxWait = maxWait == null ? Duration.ofSeconds(60) : maxWait;
      shareSampled = shareSampled != null && shareSampled;
    }
  }

  /**
   * A model mapping's own pipeline settings.
   *
   * @param off stages turned off for this model, on top of the global ones
   * @param historyBudgetTokens overrides the global budget for this model
   */
  public record ModelOverrides(List<String> off, Integer historyBudgetTokens) {
    public ModelOverrides {
      off = off == null ? List.of() : List.copyOf(off);
    }
  }
}
