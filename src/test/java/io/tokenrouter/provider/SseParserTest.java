package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<String> events = new ArrayList<>();
  private final SseParser parser = recorder();

  /** A parser that adds each event to {@link #events} as "name|data" (just "data" when unnamed). */
  private SseParser recorder() {
    return new SseParser((name, data) ->
        events.add((name == null ? "" : name + "|") + new String(data, StandardCharsets.UTF_8)));
  }

  @Test
  void eventsEndAtABlankLine() {
    parser.feed(Buffer.buffer("data: {\"a\":1}\n\ndata: [DONE]\n\n"));

    assertThat(events).containsExactly("{\"a\":1}", "[DONE]");
  }

  @Test
  void anEventSplitAcrossReadsIsReassembled() {
    parser.feed(Buffer.buffer("da"));
    parser.feed(Buffer.buffer("ta: hel"));
    parser.feed(Buffer.buffer("lo\r"));
    parser.feed(Buffer.buffer("\n\r\n"));

    assertThat(events).containsExactly("hello");
  }

  @Test
  void namedEventsAndCrlfLineEndsAreUnderstood() {
    parser.feed(Buffer.buffer("event: message_start\r\ndata: {}\r\n\r\n"));

    assertThat(events).containsExactly("message_start|{}");
  }

  @Test
  void multipleDataLinesJoinWithNewlines() {
    parser.feed(Buffer.buffer("data: a\ndata: b\n\n"));

    assertThat(events).containsExactly("a\nb");
  }

  @Test
  void commentsAndUnknownFieldsAreIgnored() {
    parser.feed(Buffer.buffer(": keep-alive\nid: 7\nretry: 10\ndata:x\n\n"));

    assertThat(events).containsExactly("x");
  }

  @Test
  void anUnterminatedEventIsDeliveredAtTheEnd() {
    parser.feed(Buffer.buffer("data: last"));
    assertThat(events).isEmpty();

    parser.end();

    assertThat(events).containsExactly("last");
  }

  @Test
  void multibyteTextSplitInsideACharacterSurvives() {
    byte[] bytes = "data: héllo 世界\n\n".getBytes(StandardCharsets.UTF_8);
    parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, 9)));
    parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 9, bytes.length)));

    assertThat(events).containsExactly("héllo 世界");
  }

  @Test
  void aReadThatIsPartOfALargerArrayIsReadWithinItsBounds() {
    byte[] around = "xxxxxdata: inside\n\ndata: outside\n\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuf heap = Unpooled.wrappedBuffer(around, 2, 18);
    heap.readerIndex(3);

    parser.feed(BufferInternal.buffer(heap));

    assertThat(events).containsExactly("inside");
  }

  @Test
  void aReadOffTheHeapIsParsedAlike() {
    ByteBuf direct = Unpooled.directBuffer().writeBytes("data: direct\n\n".getBytes(StandardCharsets.US_ASCII));

    parser.feed(BufferInternal.buffer(direct));

    assertThat(events).containsExactly("direct");
    direct.release();
  }

  @Test
  void carriageReturnsAloneEndLinesToo() {
    parser.feed(Buffer.buffer("data: first line is long\rdata: b\r\revent: e\rdata: c\r\r"));

    assertThat(events).containsExactly("first line is long\nb", "e|c");
  }

  @Test
  void aStreamCutAtAnyByteGivesTheSameEvents() {
    String stream = "event: message_start\r\ndata: {\"type\":\"message_start\",\"n\":1}\r\n\r\n"
        + ": ping\ndata: {\"choices\":[{\"delta\":{\"content\":\"h\u00e9llo \u4e16\u754c\"}}]}\n\n"
        + "data: a\rdata: b\r\rdata: [DONE]\n\n";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    SseParser whole = recorder();
    whole.feed(Buffer.buffer(bytes));
    List<String> expected = List.copyOf(events);
    for (int cut = 0; cut <= bytes.length; cut++) {
      events.clear();
      SseParser split = recorder();

      split.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut)));
      split.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length)));

      assertThat(events).as("cut at %d", cut).isEqualTo(expected);
    }
    assertThat(expected).hasSize(4);
  }

  @Test
  void aRepeatedEventNameIsReadOnceAndAChangedOneAnew() {
    List<String> names = new ArrayList<>();
    SseParser named = new SseParser((name, data) -> names.add(name));

    named.feed(Buffer.buffer("event: delta\ndata: 1\n\nevent: delta\ndata: 2\n\nevent: d\u00e9lta\ndata: 3\n\n"
        + "event: d\u00e9lta\ndata: 4\n\nevent: delt\ndata: 5\n\ndata: 6\n\n"));

    assertThat(names).containsExactly("delta", "delta", "d\u00e9lta", "d\u00e9lta", "delt", null);
    assertThat(names.get(1)).isSameAs(names.get(0));
  }
}
