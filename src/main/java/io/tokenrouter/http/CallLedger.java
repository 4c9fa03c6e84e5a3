package io.tokenrouter.http;

import io.tokenrouter.auth.Identity;
import io.tokenrouter.limit.RequestLimiter;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.Usage;
import io.tokenrouter.usage.UsageRecord;
import io.tokenrouter.usage.UsageRecorder;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The accounting of one chat request, from admission to its last byte. Whatever way the request
 * ends, {@link #finish} runs exactly once: the usage record (room for it was reserved on
 * admission), the metrics and the one JSON log line.
 */
final class CallLedger {
  private static final Logger access = LoggerFactory.getLogger("tokenrouter.access");

  private final UsageRecorder recorder;
  private final GatewayMetrics metrics;
  private final String requestId;
  private final Identity identity;
  private final long startNanos = System.nanoTime();
  private String model = "unknown";
  private boolean stream;
  private String provider;
  private String upstreamModel;
  private long firstTokenNanos = -1;
  private RequestLimiter.Permit permit;
  private boolean finished;

  CallLedger(UsageRecorder recorder, GatewayMetrics metrics, String requestId, Identity identity) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.requestId = requestId;
    this.identity = identity;
  }

  void request(String model, boolean stream) {
    this.model = model;
    this.stream = stream;
  }

  void routedTo(String provider, String upstreamModel) {
    this.provider = provider;
    this.upstreamModel = upstreamModel;
  }

  /** The limits this request holds; released when it finishes. */
  void hold(RequestLimiter.Permit held) {
    this.permit = held;
  }

  String provider() {
    return provider;
  }

  /** Marks the first output chunk of a stream; later calls are ignored. */
  void firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
      metrics.timeToFirstToken(model, provider, firstTokenNanos - startNanos);
    }
  }

  void finish(int status, String errorType, Usage usage) {
    if (finished) {
      return;
    }
    finished = true;
    if (permit != null) {
      permit.release();
    }
    long elapsed = System.nanoTime() - startNanos;
    int latencyMs = (int) TimeUnit.NANOSECONDS.toMillis(elapsed);
    Integer ttftMs = firstTokenNanos < 0 ? null : (int) TimeUnit.NANOSECONDS.toMillis(firstTokenNanos - startNanos);
    Usage u = usage == null ? Usage.NONE : usage;
    recorder.record(new UsageRecord(UUID.randomUUID(), requestId, identity.keyId(), model, provider, upstreamModel,
        stream, status, errorType, u, latencyMs, ttftMs, Instant.now()));
    metrics.requestFinished(model, provider, status, elapsed);
    metrics.tokens(model, u);
    access.info("request", kv("request_id", requestId), kv("key", identity.keyPrefix()), kv("model", model),
        kv("provider", provider), kv("stream", stream), kv("status", status), kv("error_type", errorType),
        kv("latency_ms", latencyMs), kv("ttft_ms", ttftMs), kv("prompt_tokens", u.promptTokens()),
        kv("completion_tokens", u.completionTokens()), kv("cache_read_tokens", u.cacheReadTokens()),
        kv("usage_estimated", u.estimated()));
  }
}
