package io.tokenrouter.call;

import io.tokenrouter.envelope.Envelope;
import io.vertx.core.MultiMap;

/** Reads a client API's request body into an {@link Envelope}. */
public interface EnvelopeReader {
  /** Fails with a {@link io.tokenrouter.reply.GatewayError} (400) when the body cannot be understood. */
  Envelope read(byte[] body, MultiMap headers);
}
