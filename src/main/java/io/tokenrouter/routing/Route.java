package io.tokenrouter.routing;

import io.tokenrouter.provider.Provider;

/** One way to serve a model: a provider and the name that provider knows the model by. */
public record Route(Provider provider, String upstreamModel) {}
