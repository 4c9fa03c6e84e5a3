package io.tokenrouter.call;

import io.tokenrouter.envelope.Envelope;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/** Reads a client API's request body into an {@link Envelope}. */
public interface EnvelopeReader {
  /**
   * Fails with an {@link io.tokenrouter.envelope.InvalidRequestException} (a 400 naming the field) or
   * a {@link io.tokenrouter.reply.GatewayError} when the body cannot be understood.
   */
  Envelope read(byte[] body, MultiMap headers);

  /**
   * Like {@link #read(byte[], MultiMap)}, for an API whose envelope depends on the request line
   * too (a custom route relays to the path the client asked for).
   *
   * @param uri the path and query the client asked for
   */
  default Envelope read(byte[] body, MultiMap headers, HttpMethod method, String uri) {
    return read(body, headers);
  }
}
