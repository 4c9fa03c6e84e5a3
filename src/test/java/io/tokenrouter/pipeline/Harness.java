package io.tokenrouter.pipeline;

import io.tokenrouter.api.anthropic.MessagesApi;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.call.EnvelopeReader;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.Target;
import io.tokenrouter.provider.anthropic.AnthropicWire;
import io.tokenrouter.provider.openai.OpenAiWire;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The prompt pipeline outside a running gateway: requests read by the real API readers, run
 * through the whole-call stages and one attempt's target stages, and written by the real
 * provider writers. Targets: {@code claude} (Anthropic), {@code gpt} (OpenAI, sent a
 * {@code prompt_cache_key}), {@code deepseek} (OpenAI-compatible, told nothing).
 */
final class Harness {
  static final TokenEstimator TOKENS = new TokenEstimator();
  static final Target CLAUDE = new Target("claude", null, "claude-sonnet-4-5-20250929");
  static final Target GPT = new Target("gpt", null, "gpt-4.1");
  static final Target DEEPSEEK = new Target("deepseek", null, "deepseek-chat");
  static final UUID KEY = UUID.fromString("00000000-0000-4000-8000-00000000000a");
  private static final ChatCompletionsApi OPENAI = new ChatCompletionsApi();
  private static final MessagesApi ANTHROPIC = new MessagesApi(TOKENS);
  private static final CallListener NOTHING = (call, outcome) -> { };

  private final PromptPipeline pipeline;

  Harness(String pipelineYaml) {
    this(pipelineYaml, null);
  }

  /** @param modelPipeline the pipeline settings of model mapping {@code model-0}, or null */
  Harness(String pipelineYaml, String modelPipeline) {
    this(pipelineYaml, modelPipeline, TOKENS);
  }

  /** @param tokens the tokenizer the arranger counts with, e.g. one whose encodings are not loaded yet */
  Harness(String pipelineYaml, String modelPipeline, TokenEstimator tokens) {
    this.pipeline = new PromptPipeline(config(pipelineYaml, modelPipeline), tokens);
  }

  Harness() {
    this("{ cache_key_providers: [ gpt ] }");
  }

  static GatewayConfig config(String pipelineYaml, String modelPipeline) {
    String yaml = """
        providers:
          - { name: claude, type: anthropic, base_url: "http://127.0.0.1:9" }
          - { name: gpt, type: openai, base_url: "http://127.0.0.1:9" }
          - { name: deepseek, type: openai, base_url: "http://127.0.0.1:9" }
        models:
          - { name: model-0, targets: [ { provider: claude, model: claude-sonnet-4-5-20250929 } ]%s }
        pipeline: %s
        """.formatted(modelPipeline == null ? "" : ", pipeline: " + modelPipeline, pipelineYaml);
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  /** A call for {@code body} in {@code dialect}, read and run through the whole-call stages. */
  Call whole(Dialect dialect, byte[] body, List<String> keyOff) {
    EnvelopeReader reader = dialect == Dialect.OPENAI_CHAT ? OPENAI : ANTHROPIC;
    String api = dialect == Dialect.OPENAI_CHAT ? "/v1/chat/completions" : "/v1/messages";
    Call call = new Call("req", api, HttpMethod.POST, api, MultiMap.caseInsensitiveMultiMap(), "key", body, reader,
        NOTHING);
    call.identity(new Identity(KEY, "k", "tr-k", null, null, null, null, null, null, null, null, keyOff));
    call.readEnvelope();
    pipeline.intercept(call, c -> Future.succeededFuture()).await();
    return call;
  }

  Call whole(Dialect dialect, byte[] body) {
    return whole(dialect, body, List.of());
  }

  /** The envelope one attempt at {@code target} sends. */
  Envelope attempt(Call call, Target target) {
    return pipeline.targetStages().apply(call.envelope(), call, target);
  }

  /** The bytes one attempt at {@code target} sends, as its provider's writer writes them. */
  byte[] written(Call call, Target target) {
    Envelope e = attempt(call, target);
    return target.provider().equals(CLAUDE.provider()) ? AnthropicWire.write(e, target.model())
        : OpenAiWire.write(e, target.model());
  }

}
