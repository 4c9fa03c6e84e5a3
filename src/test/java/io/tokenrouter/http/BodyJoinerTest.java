package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Vert.x's connection handler receives of a request behind {@link BodyJoiner}, from Netty's own decoder. */
class BodyJoinerTest {
  private static final long LIMIT = 1_000_000;
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final List<ByteBuf> sent = new ArrayList<>();

  BodyJoinerTest() {
    channel.pipeline().addLast(new HttpRequestDecoder());
    channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
    BodyJoiner.install(channel.pipeline(), LIMIT);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void send(String bytes) {
    ByteBuf buf = Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8);
    sent.add(buf.retain());
    channel.writeInbound(buf);
  }

  /** The request's head, then its body in pieces of {@code piece} characters, each read on its own. */
  private void sendInPieces(String body, int piece) {
    send("POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: " + body.length() + "\r\n\r\n");
    for (int at = 0; at < body.length(); at += piece) {
      send(body.substring(at, Math.min(body.length(), at + piece)));
    }
  }

  private List<Object> received() {
    List<Object> all = new ArrayList<>();
    for (Object m; (m = channel.readInbound()) != null; ) {
      all.add(m);
    }
    return all;
  }

  private static String text(Object content) {
    return ((HttpContent) content).content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBodyReadInManyPiecesArrivesAsOneLastPart() {
    String body = "{\"t\":\"" + "0123456789".repeat(30_000) + "\"}";
    sendInPieces(body, 16_384);

    List<Object> got = received();
    assertThat(got).hasSize(2);
    assertThat(got.get(0)).isInstanceOf(HttpRequest.class);
    assertThat(got.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(text(got.get(1))).isEqualTo(body);
  }

  @Test
  void theHeadPassesBeforeTheBodyArrivesSoAnExpectationCanBeAnswered() {
    send("POST /v1/messages HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 50000\r\n\r\n");

    List<Object> got = received();
    assertThat(got).hasSize(1);
    assertThat(got.getFirst()).isInstanceOf(HttpRequest.class);

    send("x".repeat(30_000));
    assertThat(received()).isEmpty();
    send("x".repeat(20_000));
    assertThat(received()).singleElement().satisfies(last -> assertThat(text(last)).hasSize(50_000));
  }

  @Test
  void theJoinedPartsAreFreedWithTheBody() {
    sendInPieces("x".repeat(50_000), 10_000);

    List<Object> got = received();
    ((HttpContent) got.get(1)).release();
    assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));
  }

  @Test
  void aBodyReadAtOncePassesAsTheDecoderGaveIt() {
    send("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 13\r\n\r\n{\"model\":\"m\"}");

    List<Object> got = received();
    assertThat(got).hasSize(2);
    assertThat(text(got.get(1))).isEqualTo("{\"model\":\"m\"}");
  }

  @Test
  void aChunkedBodyPassesInItsChunks() {
    send("POST /v1/messages HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n");
    send("5\r\nhello\r\n");
    send("6\r\n world\r\n");
    send("0\r\n\r\n");

    List<Object> got = received();
    assertThat(got).hasSize(4);
    assertThat(text(got.get(1)) + text(got.get(2))).isEqualTo("hello world");
  }

  @Test
  void aBodyDeclaredPastTheLimitPassesInItsPieces() {
    sendInPieces("y".repeat((int) LIMIT + 10), 200_000);

    assertThat(received()).hasSizeGreaterThan(2);
  }

  @Test
  void pipelinedRequestsArriveEachWholeInTheirOrder() {
    String first = "a".repeat(20_000);
    String second = "b".repeat(30_000);
    sendInPieces(first, 7_000);
    sendInPieces(second, 7_000);

    List<Object> got = received();
    assertThat(got).hasSize(4);
    assertThat(text(got.get(1))).isEqualTo(first);
    assertThat(text(got.get(3))).isEqualTo(second);
  }

  @Test
  void aConnectionLostMidBodyFreesWhatArrived() {
    sendInPieces("z".repeat(40_000), 10_000);
    received().forEach(ReferenceCountUtil::release);
    send("POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 90000\r\n\r\n" + "z".repeat(20_000));
    send("z".repeat(20_000));

    channel.finishAndReleaseAll();

    assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));
  }
}
