package io.tokenrouter.pipeline;

import io.tokenrouter.call.Call;
import io.tokenrouter.config.PipelineConfig.Stage;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Fields;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Tells the chosen provider how to cache the request, in its own terms: Anthropic breakpoints
 * ({@link AnthropicBreakpoints}) for an Anthropic target, whatever API the client spoke; for
 * OpenAI, a {@code prompt_cache_key} derived from the caller's key and the tools and instructions
 * its conversations share. OpenAI routes a request to a cache machine by its first tokens and
 * this key: every turn of every conversation of one agent then reaches the machine that holds
 * their common prefix, as with a tidy client, while two callers never share a machine's queue
 * (past about 15 requests a minute for one prefix and key, OpenAI spills the rest to machines
 * that hold none of it). An agent busier than that under one key can be spread over several keys
 * ({@code cache_key_spread}), each conversation staying on one. Other providers cache on stable
 * bytes alone, which the whole-call stages already gave the request.
 */
public final class CacheInjector implements TargetStage {
  static final String PROMPT_CACHE_KEY = "prompt_cache_key";

  /** How a provider is told to cache. */
  public enum Style { ANTHROPIC, OPENAI, NONE }

  private final Map<String, Style> styles;
  private final CacheMinimums minimums;
  private final int spread;

  /**
   * @param styles each provider's style, by configured provider name; a provider not named gets none
   * @param minCacheTokens configured minimum cacheable prefixes by model glob, before the built-in table
   * @param spread how many cache keys the conversations sharing one agent's prefix are spread over
   */
  public CacheInjector(Map<String, Style> styles, Map<String, Integer> minCacheTokens, int spread) {
    this.styles = Map.copyOf(styles);
    this.minimums = new CacheMinimums(minCacheTokens);
    this.spread = spread;
  }

  @Override
  public Envelope apply(Envelope in, Call call, Target target) {
    PromptSettings settings = call.get(PromptPipeline.SETTINGS);
    return switch (styles.getOrDefault(target.provider(), Style.NONE)) {
      case ANTHROPIC -> AnthropicBreakpoints.place(in, minimums.tokens(target.model()), settings.on(Stage.CHUNKER));
      case OPENAI -> withCacheKey(in, call);
      case NONE -> in;
    };
  }

  /**
   * Each provider's style by name: Anthropic's for {@code type: anthropic}; OpenAI's key for the
   * providers listed (when {@code cacheKeyProviders} is null: {@code type: openai} providers at
   * {@code api.openai.com}, since other OpenAI-compatible servers may refuse a field they do not
   * know); none for the rest.
   */
  public static Map<String, Style> styles(List<ProviderConfig> providers, List<String> cacheKeyProviders) {
    Map<String, Style> styles = new HashMap<>();
    for (ProviderConfig p : providers) {
      boolean openAi = "openai".equals(p.type()) && (cacheKeyProviders == null
          ? p.baseUrl() != null && "api.openai.com".equals(URI.create(p.baseUrl()).getHost())
          : cacheKeyProviders.contains(p.name()));
      styles.put(p.name(), "anthropic".equals(p.type()) ? Style.ANTHROPIC : openAi ? Style.OPENAI : Style.NONE);
    }
    return styles;
  }

  /** The client's own key is kept: it knows its traffic better. */
  private Envelope withCacheKey(Envelope in, Call call) {
    PromptHashes hashes = call.get(PromptPipeline.HASHES);
    if (hashes == null || in.params().containsKey(PROMPT_CACHE_KEY)) {
      return in;
    }
    int bucket = spread == 1 ? 0 : jump(Long.parseUnsignedLong(hashes.conversation().substring(0, 16), 16), spread);
    String key = cacheKey(call.identity().keyId() + "/" + hashes.shared() + "/" + bucket);
    return in.toBuilder()
        .params(Fields.with(in.params(), PROMPT_CACHE_KEY, Json.MAPPER.getNodeFactory().textNode(key)))
        .build();
  }

  /** {@code tr-} and 29 hex digits of a hash of what the key stands for: short, and saying nothing of it. */
  static String cacheKey(String of) {
    byte[] digest = Hasher.sha256().digest(of.getBytes(StandardCharsets.UTF_8));
    return "tr-" + HexFormat.of().formatHex(digest).substring(0, 29);
  }

  /**
   * Jump consistent hashing (Lamping and Veach): a bucket in [0, buckets) for {@code key}, such
   * that raising the spread moves as few conversations as possible to another key.
   */
  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
