package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.pipeline.Chunks.Chunk;
import io.tokenrouter.pipeline.Chunks.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private final Harness harness = new Harness("{ enabled: false }");

  private Envelope openAi(String messages) {
    String body = "{\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"t\"}}],\"messages\":"
        + messages + "}";
    return harness.whole(Dialect.OPENAI_CHAT, body.getBytes(StandardCharsets.UTF_8)).envelope();
  }

  @Test
  void aFirstRequestIsToolsAndSystemThenAVolatileNewestTurn() {
    Envelope e = openAi("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]");

    assertThat(Chunker.chunk(e, true).chunks()).containsExactly(new Chunk(Kind.TOOLS, 0, 0, true),
        new Chunk(Kind.SYSTEM, 0, 1, true), new Chunk(Kind.NEWEST, 1, 2, false));
    assertThat(Chunker.chunk(e, true).stableMessages()).isEqualTo(1);
  }

  @Test
  void onceUnderWayEveryExchangeAndTheNewestTurnAreStable() {
    Envelope e = openAi("""
        [{"role":"system","content":"s"},{"role":"user","content":"hi"},
         {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"t","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"c1","content":"r"},{"role":"assistant","content":"ok"},
         {"role":"user","content":"next"}]""");

    Chunks chunks = Chunker.chunk(e, true);

    assertThat(chunks.chunks()).containsExactly(new Chunk(Kind.TOOLS, 0, 0, true), new Chunk(Kind.SYSTEM, 0, 1, true),
        new Chunk(Kind.TURN, 1, 3, true), new Chunk(Kind.TURN, 3, 5, true), new Chunk(Kind.NEWEST, 5, 6, true));
    assertThat(chunks.lastTurn()).isEqualTo(new Chunk(Kind.TURN, 3, 5, true));
    assertThat(chunks.stableMessages()).isEqualTo(6);
  }

  @Test
  void anAssistantPrefillStaysInTheNewestTurn() {
    Envelope e = openAi("""
        [{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},
         {"role":"assistant","content":"Sure,"}]""");

    assertThat(Chunker.chunk(e, true).newest()).isEqualTo(new Chunk(Kind.NEWEST, 2, 4, true));
  }

  @Test
  void turnedOffOnlyToolsAndSystemAreAStablePrefix() {
    Envelope e = openAi("""
        [{"role":"system","content":"s"},{"role":"user","content":"a"},{"role":"assistant","content":"b"},
         {"role":"user","content":"c"}]""");

    Chunks chunks = Chunker.chunk(e, false);

    assertThat(chunks.chunks()).extracting(Chunk::stable).containsExactly(true, true, false, false);
    assertThat(chunks.stableMessages()).isEqualTo(1);
  }
}
