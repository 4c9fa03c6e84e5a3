package io.tokenrouter.api;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.EnvelopeReader;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One client API: where it is served, how its requests are read, how answers and errors are
 * written in its wire format. Everything between (auth, admission, routing, accounting) is the
 * one request path every API shares.
 */
public interface InboundAdapter extends EnvelopeReader {
  /**
   * The canonical paths served ({@code /v1/chat/completions}); each is also served under
   * {@code /api}. A path ending in {@code /*} serves everything under it.
   */
  List<String> paths();

  /**
   * Whether the body is left unread before the call: it then streams to the provider as it
   * arrives, never held whole and not bounded by {@code server.max_body_bytes} (a custom route's
   * upload).
   */
  default boolean streamsBody() {
    return false;
  }

  /** The methods served at those paths. */
  default List<HttpMethod> methods() {
    return List.of(HttpMethod.POST);
  }

  /** The key the client presented, or null. */
  String credential(MultiMap headers);

  /** The writer of one call's answer. */
  ClientReply reply(Call call, HttpServerResponse response);

  /** An error in this API's shape and status conventions. */
  ErrorReply render(GatewayError error);
}
