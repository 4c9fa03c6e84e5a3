package io.tokenrouter.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Sends requests in a protocol version other than HTTP/1.1 and HTTP/1.0 (HTTP/2.0 as text,
 * HTTPS/1.1, http/1.1) to {@link InvalidRequests}, which answers 400 in OpenAI's error shape;
 * Vert.x would answer them itself with an empty 501. The request is marked as failed to decode,
 * and relabelled HTTP/1.1 so that the answer goes out in a version the client can read.
 */
@ChannelHandler.Sharable
final class HttpVersions extends ChannelInboundHandlerAdapter {
  static final HttpVersions INSTANCE = new HttpVersions();

  private HttpVersions() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // Identity, as Vert.x compares: the decoder returns these constants only for the exact texts.
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
        && request.protocolVersion() != HttpVersion.HTTP_1_1 && request.protocolVersion() != HttpVersion.HTTP_1_0) {
      request.setDecoderResult(DecoderResult.failure(new UnsupportedVersionException(request.protocolVersion().text())));
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(msg);
  }

  /** The decoder failure {@link InvalidRequests} answers as an unsupported version. */
  static final class UnsupportedVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedVersionException(String version) {
      super("unsupported protocol version " + version, null, false, false);
    }
  }
}
