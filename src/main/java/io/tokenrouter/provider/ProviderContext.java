package io.tokenrouter.provider;

import io.tokenrouter.billing.TokenEstimator;
import io.vertx.core.Vertx;

/** What every provider adapter may use: the event loops, and the tokenizer (for providers that count themselves). */
public record ProviderContext(Vertx vertx, TokenEstimator tokens) {}
