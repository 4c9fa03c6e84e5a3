package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reaches the transport of an upstream connection behind {@link PieceWriter}. */
class PieceWriterTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(PieceWriter.INSTANCE);

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> written() {
    List<String> out = new ArrayList<>();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.add(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out;
  }

  @Test
  void aBodyInPiecesIsWrittenPieceByPieceInOrder() {
    ByteBuf body = ((BufferInternal) RequestBodies.of(List.of(bytes("{\"model\":\"m\","), bytes("\"messages\":[]"),
        bytes("}")))).getByteBuf();

    ChannelFuture done = channel.writeAndFlush(body);

    assertThat(done.isSuccess()).isTrue();
    assertThat(written()).containsExactly("{\"model\":\"m\",", "\"messages\":[]", "}");
  }

  @Test
  void theBodysOwnArraysAreWrittenWithoutACopy() {
    byte[] client = "{\"messages\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
    ByteBuf body = Unpooled.wrappedBuffer(ByteBuffer.wrap(client, 0, 13), bytes("9"), ByteBuffer.wrap(client, 18, 2));

    channel.writeAndFlush(body);

    ByteBuf first = channel.readOutbound();
    assertThat(first.nioBuffer().array()).isSameAs(client);
    first.release();
    assertThat(written()).containsExactly("9", "]}");
  }

  @Test
  void aBufferInOnePiecePassesAsItIs() {
    ByteBuf one = Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8));

    channel.writeAndFlush(one);

    assertThat((Object) channel.readOutbound()).isSameAs(one);
  }

  @Test
  void aDirectBufferPassesAsItIs() {
    ByteBuf direct = Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3});

    channel.writeAndFlush(direct);

    assertThat((Object) channel.readOutbound()).isSameAs(direct);
    direct.release();
  }
}
