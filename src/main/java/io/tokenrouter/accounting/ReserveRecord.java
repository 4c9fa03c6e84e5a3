package io.tokenrouter.accounting;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.usage.UsageRecorder;
import io.vertx.core.Future;

/**
 * Takes room for the call's usage record before anything is spent on it: when the recorder's
 * queue is full the gateway refuses with 503 rather than serve a request it could not record.
 */
public final class ReserveRecord implements CallInterceptor {
  /** Present once room for the call's record was taken; the {@link Accountant} then writes it. */
  static final Attachment<Boolean> RESERVED = Attachment.named("usage record reserved");
  private final UsageRecorder recorder;
  private final GatewayMetrics metrics;

  public ReserveRecord(UsageRecorder recorder, GatewayMetrics metrics) {
    this.recorder = recorder;
    this.metrics = metrics;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    if (!recorder.tryReserve()) {
      metrics.usageQueueFull();
      return Future.failedFuture(GatewayError.builder(GatewayError.Kind.UNAVAILABLE, 503, "overloaded",
          "The gateway is saturated; retry shortly.").retryAfter("1").build());
    }
    call.put(RESERVED, Boolean.TRUE);
    return chain.proceed(call);
  }
}
