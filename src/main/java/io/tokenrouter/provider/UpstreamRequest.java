package io.tokenrouter.provider;

import io.tokenrouter.envelope.Envelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * One attempt at a provider.
 *
 * @param model the provider's name for the model
 * @param relayRaw whether the answer may be relayed as the provider's own bytes when the client
 *     speaks the provider's format; false when a stage must see neutral events (an output cap)
 * @param cancellation fired when the client went away: the attempt stops and closes its upstream request
 * @param bodyStream the client's body as it arrives, for a request relayed as it is (a custom
 *     route); null when the body is the envelope's
 * @param apiKey the provider key this attempt uses (the router spreads attempts over a
 *     provider's keys); empty for the provider's first key, or for a provider that needs none
 */
public record UpstreamRequest(Envelope envelope, String model, String requestId, boolean relayRaw,
    Cancellation cancellation, ReadStream<Buffer> bodyStream, String apiKey) {}
