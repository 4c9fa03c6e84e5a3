package io.tokenrouter.http;

import io.tokenrouter.admission.Admission;
import io.tokenrouter.admission.Namespaces;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.usage.UsageRecorder;

/** What the chat route runs on, in request-path order: routing, namespaces, admission, pricing, recording. */
public record ChatServices(ModelRouter router, Namespaces namespaces, Admission admission, TokenEstimator estimator,
    PriceBook prices, UsageRecorder recorder) {}
