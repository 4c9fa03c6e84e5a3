package io.tokenrouter.provider;

/**
 * One way to serve a model: a provider and the name it knows the model by.
 *
 * @param provider the provider's configured name
 */
public record Target(String provider, OutboundAdapter adapter, String model) {}
