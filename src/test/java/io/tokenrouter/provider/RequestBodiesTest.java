package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private final byte[] client = "{\"model\":\"m\",\"messages\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

  private static String text(ByteBuf buf) {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rangesOfOneArrayAndArraysOfTheirOwnReadAsOneBodyInOrder() {
    byte[] written = "\"x\"".getBytes(StandardCharsets.UTF_8);
    ByteBuf body = ((BufferInternal) RequestBodies.of(List.of(ByteBuffer.wrap(client, 0, 13),
        ByteBuffer.wrap(written), ByteBuffer.wrap(client, 12, 13), ByteBuffer.wrap(client, 0, 0),
        ByteBuffer.wrap(client, 25, client.length - 25)))).getByteBuf();

    assertThat(text(body)).isEqualTo("{\"model\":\"m\",\"x\",\"messages\":[1,2,3]}");
  }

  @Test
  void aPieceSlicedFromItsBufferStartsWhereTheBufferIs() {
    ByteBuffer moved = ByteBuffer.wrap(client).position(2).limit(9).slice();

    assertThat(text(((BufferInternal) RequestBodies.of(List.of(moved))).getByteBuf())).isEqualTo("model\":");
  }

  @Test
  void aBodySentAgainAfterAFailedAttemptReadsTheSame() {
    BufferInternal body = (BufferInternal) RequestBodies.of(List.of(ByteBuffer.wrap(client, 0, 5),
        ByteBuffer.wrap(client, 5, 5), ByteBuffer.wrap(client, 10, client.length - 10)));
    ByteBuf first = body.getByteBuf();
    String sent = text(first);
    first.skipBytes(first.readableBytes()).release();

    assertThat(text(body.getByteBuf())).isEqualTo(sent).isEqualTo(new String(client, StandardCharsets.UTF_8));
  }
}
