package io.tokenrouter.pipeline;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.PipelineConfig;
import io.tokenrouter.config.PipelineConfig.Stage;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt pipeline on the request path: once per call, after admission, the whole-call stages
 * ({@link Arranger} then {@link Canonicalizer}, each a {@link PromptStage}), then the
 * {@link Hasher} over the {@link Chunker}'s cut of the result; then, for each attempt, its
 * {@link #targetStages() target stages} ({@link CacheInjector}, which cuts the request again to
 * place breakpoints) once the router has chosen where the attempt goes.
 *
 * <p>Each stage can be turned off in the configuration, per model mapping and per key. A request
 * no stage changed is the same envelope, so it still goes out as the client's own bytes. Token
 * counting requests pass untouched: what they count must be what the client sent.
 */
public final class PromptPipeline implements CallInterceptor {
  /** What the pipeline does for the call; set on every generating call it sees. */
  public static final Attachment<PromptSettings> SETTINGS = Attachment.named("prompt pipeline settings");
  /** The call's hashes, when the hasher ran. */
  public static final Attachment<PromptHashes> HASHES = Attachment.named("prompt hashes");

  private record Named(Stage stage, PromptStage impl) {}

  private final boolean header;
  private final PromptSettings defaults;
  private final Map<String, PromptSettings> byModel;
  private final List<Named> stages;
  private final TargetStage injector;
  private final TokenEstimator tokens;

  public PromptPipeline(GatewayConfig gateway, TokenEstimator tokens) {
    PipelineConfig config = gateway.pipeline();
    this.tokens = tokens;
    this.header = config.header();
    this.defaults = settings(config, null);
    Map<String, PromptSettings> own = new HashMap<>();
    for (ModelConfig m : gateway.models()) {
      if (m.pipeline() != null) {
        own.put(m.name(), settings(config, m.pipeline()));
      }
    }
    this.byModel = Map.copyOf(own);
    this.stages = List.of(new Named(Stage.ARRANGER, new Arranger(tokens)),
        new Named(Stage.CANONICALIZER, new Canonicalizer()));
    this.injector = new CacheInjector(CacheInjector.styles(gateway.providers(), config.cacheKeyProviders()),
        config.minCacheTokens(), config.cacheKeySpread());
  }

  private static PromptSettings settings(PipelineConfig config, PipelineConfig.ModelOverrides model) {
    if (!config.enabled()) {
      return PromptSettings.OFF;
    }
    Integer budget = model != null && model.historyBudgetTokens() != null ? model.historyBudgetTokens()
        : config.historyBudgetTokens();
    PromptSettings all = new PromptSettings(EnumSet.allOf(Stage.class), budget).without(config.off());
    return model == null ? all : all.without(model.off());
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Envelope in = call.envelope();
    if (in.operation() != Operation.GENERATE) {
      return chain.proceed(call);
    }
    PromptSettings settings = byModel.getOrDefault(in.model(), defaults).without(call.identity().pipelineOff());
    call.put(SETTINGS, settings);
    if (settings.allOff()) {
      return chain.proceed(call);
    }
    if (settings.on(Stage.ARRANGER) && settings.historyBudgetTokens() != null && !tokens.loaded()) {
      // the arranger counts the conversation to fit it in its budget: until the tokenizer has
      // loaded (the first second after a start), wait for it here rather than on the event loop
      return tokens.ready().compose(v -> intercept(call, chain));
    }
    if (header) {
      PipelineReport.open(call);
    }
    Envelope out = in;
    List<String> changed = new ArrayList<>(stages.size());
    for (Named named : stages) {
      if (settings.on(named.stage())) {
        Envelope next = named.impl().apply(out, call);
        if (next != out) {
          changed.add(named.stage().configName());
          out = next;
        }
      }
    }
    if (out != in) {
      call.envelope(out);
      PipelineReport.note(call, "changed", String.join(",", changed));
    }
    if (settings.on(Stage.HASHER)) {
      PromptHashes hashes = Hasher.hash(out, Chunker.chunk(out, settings.on(Stage.CHUNKER)));
      call.put(HASHES, hashes);
      call.put(Hasher.CONVERSATION_KEY, hashes.conversation());
      PipelineReport.note(call, "prefix", hashes.shortPrefix());
    }
    return chain.proceed(call);
  }

  /**
   * The stages that run for each attempt, on the call's envelope once the attempt's target is
   * known; they leave the call's own envelope as it is, so another attempt starts afresh.
   */
  public TargetStage targetStages() {
    return (in, call, target) -> {
      PromptSettings settings = call.get(SETTINGS);
      if (settings == null || !settings.on(Stage.CACHE_INJECTOR)) {
        return in;
      }
      Envelope out = injector.apply(in, call, target);
      note(call, in, out);
      return out;
    };
  }

  private static void note(Call call, Envelope in, Envelope out) {
    int added = out == in ? 0 : Breakpoints.count(out) - Breakpoints.count(in);
    PipelineReport.note(call, "breakpoints", added > 0 ? "+" + added : null);
    boolean keyed = out.params().containsKey(CacheInjector.PROMPT_CACHE_KEY)
        && !in.params().containsKey(CacheInjector.PROMPT_CACHE_KEY);
    PipelineReport.note(call, "cache_key", keyed ? "added" : null);
  }
}
