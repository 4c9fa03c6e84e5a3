package io.tokenrouter.api.relay;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.call.Call;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * Writes a relayed answer: the provider's status and headers, then its bytes as they arrive,
 * each piece written (and so flushed) at once, counted for the call's byte metering. An event
 * stream is marked not to be buffered by proxies on the way. A failure after the head can only
 * cut the answer short, as the provider's own would be.
 */
final class RelayReply implements ClientReply {
  private final Call call;
  private final HttpServerResponse response;
  private final boolean eventStream;

  RelayReply(Call call, HttpServerResponse response, boolean eventStream) {
    this.call = call;
    this.response = response;
    this.eventStream = eventStream;
    call.countResponseBytes(0);
  }

  @Override
  public void begin() {
  }

  @Override
  public void event(ReplyEvent event) {
    switch (event) {
      case ReplyEvent.Head h -> {
        response.setStatusCode(h.status()).setChunked(true);
        for (Map.Entry<String, String> header : h.headers().entrySet()) {
          response.putHeader(header.getKey(), header.getValue());
        }
        if (eventStream) {
          response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Accel-Buffering", "no");
        }
      }
      case ReplyEvent.Raw r -> {
        call.countResponseBytes(r.data().length);
        response.write(Buffer.buffer(r.data()));
      }
      default -> { }
    }
  }

  @Override
  public void end(GatewayError error) {
    if (error == null) {
      response.end();
    } else if (!response.headWritten()) {
      ErrorReply reply = OpenAiErrors.render(error);
      response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
    } else {
      response.reset();
    }
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drain(Runnable then) {
    response.drainHandler(v -> then.run());
  }
}
