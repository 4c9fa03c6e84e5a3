package io.tokenrouter.http;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.Outcome;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplySink;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays a provider's reply to the client: each event to the API's writer and to the call's
 * tally, the provider paused while the client's socket is full, cancelled when the client goes
 * away; the call ends with the reply.
 */
final class ReplyRelay implements ReplySink {
  private final Call call;
  private final Reply reply;
  private final ClientReply client;
  private final HttpServerResponse response;
  private boolean paused;

  ReplyRelay(Call call, Reply reply, ClientReply client, HttpServerResponse response) {
    this.call = call;
    this.reply = reply;
    this.client = client;
    this.response = response;
  }

  void start() {
    if (call.cancellation().cancelled()) {
      reply.cancel();
      call.finish(Outcome.CLIENT_CLOSED, null);
      return;
    }
    call.cancellation().onCancel(reply::cancel);
    if (call.hasResponseHeaders()) {
      response.headers().addAll(call.responseHeaders());
    }
    call.replyStarted();
    client.begin();
    reply.start(this);
  }

  @Override
  public void event(ReplyEvent event) {
    if (call.cancellation().cancelled()) {
      return;
    }
    call.observe(event);
    client.event(event);
    if (!paused && client.writeQueueFull()) {
      paused = true;
      reply.pause();
      client.drain(() -> {
        paused = false;
        reply.resume();
      });
    }
  }

  @Override
  public void end(GatewayError error) {
    if (call.cancellation().cancelled()) {
      call.finish(Outcome.CLIENT_CLOSED, null);
      return;
    }
    // settled first: a client that has the whole answer may send its next request at once, and
    // must find its concurrency slot given back
    call.finish(error == null ? 200 : error.status(), error);
    client.end(error);
  }
}
