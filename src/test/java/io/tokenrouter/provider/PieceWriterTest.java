package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reaches the transport of an upstream connection behind {@link PieceWriter}. */
class PieceWriterTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(PieceWriter.INSTANCE);

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBodyInPiecesIsWrittenAsOneDirectBufferOfItsBytesInOrder() {
    ByteBuf body = ((BufferInternal) RequestBodies.of(List.of(bytes("{\"model\":\"m\","), bytes("\"messages\":[]"),
        bytes("}")))).getByteBuf();

    ChannelFuture done = channel.writeAndFlush(body);

    assertThat(done.isSuccess()).isTrue();
    ByteBuf out = channel.readOutbound();
    assertThat(out.isDirect()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\",\"messages\":[]}");
    out.release();
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void piecesFromTheMiddleOfArraysAreCopiedFromTheirRanges() {
    byte[] client = "xx{\"messages\":[1,2,3]}yy".getBytes(StandardCharsets.UTF_8);
    ByteBuf body = Unpooled.wrappedBuffer(ByteBuffer.wrap(client, 2, 13), bytes("9"), ByteBuffer.wrap(client, 20, 2));
    body.readerIndex(1);

    channel.writeAndFlush(body);

    ByteBuf out = channel.readOutbound();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\"messages\":[9]}");
    out.release();
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
