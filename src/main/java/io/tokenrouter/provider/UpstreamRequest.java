package io.tokenrouter.provider;

import io.tokenrouter.envelope.Envelope;

/**
 * One attempt at a provider.
 *
 * @param model the provider's name for the model
 * @param relayRaw whether the answer may be relayed as the provider's own bytes when the client
 *     speaks the provider's format; false when a stage must see neutral events (an output cap)
 * @param cancellation fired when the client went away: the attempt stops and closes its upstream request
 * @param apiKey the provider key this attempt uses (the router spreads attempts over a
 *     provider's keys); empty for a provider that needs none
 */
public record UpstreamRequest(Envelope envelope, String model, String requestId, boolean relayRaw,
    Cancellation cancellation, String apiKey) {}
