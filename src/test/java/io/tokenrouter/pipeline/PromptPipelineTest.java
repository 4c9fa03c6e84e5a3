package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.call.Call;
import io.tokenrouter.config.PipelineConfig.Stage;
import io.tokenrouter.envelope.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptPipelineTest {
  private static final byte[] MESSY = """
      {"model":"model-0","max_tokens":10,"system":[{"type":"text","text":"a  "},{"type":"text","text":"b"}],
       "messages":[{"role":"user","content":"hi"}],
       "tools":[{"name":"z","input_schema":{"type":"object"}},{"name":"a","input_schema":{}}]}"""
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderSaysWhatChangedAndTheStablePrefixHash() {
    Call call = new Harness().whole(Dialect.ANTHROPIC_MESSAGES, MESSY);

    assertThat(call.responseHeaders().get(PipelineReport.HEADER))
        .matches("changed=arranger,canonicalizer; prefix=[0-9a-f]{16}");
  }

  @Test
  void aKeyTurnsStagesOffForItsRequests() {
    Call call = new Harness().whole(Dialect.ANTHROPIC_MESSAGES, MESSY, List.of("arranger", "CANONICALIZER", "gone"));

    assertThat(call.envelope().original()).isEqualTo(MESSY);
    assertThat(call.get(PromptPipeline.SETTINGS).on(Stage.HASHER)).isTrue();
    assertThat(call.responseHeaders().get(PipelineReport.HEADER)).startsWith("prefix=");
  }

  @Test
  void aModelMappingTurnsStagesOffForItsModelOnly() {
    Harness harness = new Harness("{ off: [ dedup ] }", "{ off: [ arranger, canonicalizer ] }");

    Call own = harness.whole(Dialect.ANTHROPIC_MESSAGES, MESSY);
    Call other = harness.whole(Dialect.ANTHROPIC_MESSAGES,
        new String(MESSY, StandardCharsets.UTF_8).replace("model-0", "model-1").getBytes(StandardCharsets.UTF_8));

    assertThat(own.envelope().original()).isNotNull();
    assertThat(other.envelope().original()).isNull();
    assertThat(own.get(PromptPipeline.SETTINGS).on(Stage.DEDUP)).isFalse();
    assertThat(other.get(PromptPipeline.SETTINGS).on(Stage.DEDUP)).isFalse();
  }

  @Test
  void turnedOffThePipelineLeavesRequestsAndAnswersAlone() {
    Call call = new Harness("{ enabled: false }").whole(Dialect.ANTHROPIC_MESSAGES, MESSY);

    assertThat(call.envelope().original()).isEqualTo(MESSY);
    assertThat(call.get(PromptPipeline.HASHES)).isNull();
    assertThat(call.hasResponseHeaders()).isFalse();
  }

  @Test
  void withoutTheHeaderNothingIsSaid() {
    Call call = new Harness("{ header: false }").whole(Dialect.ANTHROPIC_MESSAGES, MESSY);

    assertThat(call.envelope().original()).isNull();
    assertThat(call.hasResponseHeaders()).isFalse();
  }
}
