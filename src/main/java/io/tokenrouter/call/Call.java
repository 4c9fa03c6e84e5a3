package io.tokenrouter.call;

import io.tokenrouter.caller.Identity;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.provider.Cancellation;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One client request on its way through the gateway, from arrival to its last byte, whatever its
 * API. Stages read it and leave their results on it: the identity, the (possibly rewritten)
 * envelope, the target of the current attempt, and typed {@link Attachment}s. It also keeps the
 * tally of what was relayed, and ends exactly once, telling the {@link CallListener}.
 *
 * <p>Confined to the event loop the request arrived on; not thread-safe.
 */
public final class Call {
  private final String id;
  private final String api;
  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private final String credential;
  private final byte[] body;
  private final EnvelopeReader reader;
  private final CallListener listener;
  private final long startNanos = System.nanoTime();
  private final Cancellation cancellation = new Cancellation();
  private final Map<Attachment<?>, Object> attachments = new HashMap<>(4);
  private MultiMap responseHeaders;
  private Identity identity;
  private Envelope envelope;
  private Target target;
  private boolean neutralReply;
  private Usage reported;
  private int outputEvents;
  private long outputChars;
  private long firstOutputNanos = -1;
  private long responseBytes = -1;
  private ReadStream<Buffer> bodyStream;
  private LongSupplier streamedBytes;
  private boolean replyStarted;
  private boolean finished;

  /**
   * @param api the API's canonical path ({@code /v1/chat/completions}), whichever alias the
   *     client used
   * @param method the request's method
   * @param uri the path and query the client asked for, alias included
   * @param headers the client's request headers; not to be changed
   * @param credential the key the client presented, or null
   */
  public Call(String id, String api, HttpMethod method, String uri, MultiMap headers, String credential, byte[] body,
      EnvelopeReader reader, CallListener listener) {
    this.id = id;
    this.api = api;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.credential = credential;
    this.body = body;
    this.reader = reader;
    this.listener = listener;
  }

  public String id() {
    return id;
  }

  public String api() {
    return api;
  }

  public MultiMap headers() {
    return headers;
  }

  public String credential() {
    return credential;
  }

  public long startNanos() {
    return startNanos;
  }

  /** The size of the client's body in bytes. */
  public int bodySize() {
    return body.length;
  }

  public boolean hasResponseHeaders() {
    return responseHeaders != null;
  }

  /** Headers every answer to this call carries, error or not (OpenAI's {@code x-ratelimit-*}). */
  public MultiMap responseHeaders() {
    if (responseHeaders == null) {
      responseHeaders = MultiMap.caseInsensitiveMultiMap();
    }
    return responseHeaders;
  }

  /** Reads the body into the envelope; fails with a {@link GatewayError} when it cannot be understood. */
  public void readEnvelope() {
    try {
      this.envelope = reader.read(body, headers, method, uri);
    } catch (InvalidRequestException e) {
      throw GatewayError.invalid(e.getMessage(), e.param());
    }
  }

  /** The caller, once authenticated; null before. */
  public Identity identity() {
    return identity;
  }

  public void identity(Identity who) {
    this.identity = who;
  }

  /** The request as the stages so far left it; null until read. */
  public Envelope envelope() {
    return envelope;
  }

  public void envelope(Envelope changed) {
    this.envelope = changed;
  }

  /** The target of the current attempt, or null before routing. */
  public Target target() {
    return target;
  }

  public void target(Target next) {
    this.target = next;
    listener.routed(this, next);
  }

  public void attemptFailed(GatewayError error) {
    listener.attemptFailed(this, target, error);
  }

  public CallListener listener() {
    return listener;
  }

  /** Fired when the client goes away. */
  public Cancellation cancellation() {
    return cancellation;
  }

  /** Asks providers for neutral reply events even when the client speaks their format (a stage rewrites them). */
  public void requireNeutralReply() {
    this.neutralReply = true;
  }

  public boolean neutralReply() {
    return neutralReply;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Attachment<T> key) {
    return (T) attachments.get(key);
  }

  public <T> void put(Attachment<T> key, T value) {
    attachments.put(key, value);
  }

  /** Notes one event on its way to the client: usage reports, and how much output has passed. */
  public void observe(ReplyEvent event) {
    switch (event) {
      case ReplyEvent.UsageReport u -> reported = u.usage();
      case ReplyEvent.Raw r -> {
        if (r.output()) {
          output(r.text() == null ? 0 : r.text().length());
        }
      }
      case ReplyEvent.TextDelta t -> output(t.text().length());
      case ReplyEvent.ThinkingDelta t -> output(t.thinking().length());
      case ReplyEvent.ToolInputDelta t -> output(t.partialJson().length());
      case ReplyEvent.BlockStart b when b.kind() == ReplyEvent.BlockKind.TOOL_USE ->
          output(b.name() == null ? 0 : b.name().length());
      default -> { }
    }
  }

  private void output(int chars) {
    outputEvents++;
    outputChars += chars;
    if (firstOutputNanos < 0) {
      firstOutputNanos = System.nanoTime() - startNanos;
      listener.firstOutput(this);
    }
  }

  /** The provider's answer began to flow to the client; from here on it is charged for. */
  public void replyStarted() {
    if (!replyStarted) {
      replyStarted = true;
      listener.replyStarted(this);
    }
  }

  public boolean hasReplyStarted() {
    return replyStarted;
  }

  /** Time from arrival to the first generated output, or -1 when none has passed yet. */
  public long firstOutputNanos() {
    return firstOutputNanos;
  }

  public boolean finished() {
    return finished;
  }

  /** The body streams from the client instead of being read before the call. */
  public void bodyStream(ReadStream<Buffer> stream, LongSupplier bytesRead) {
    this.bodyStream = stream;
    this.streamedBytes = bytesRead;
  }

  /** The client's body as it arrives, or null when it was read before the call. */
  public ReadStream<Buffer> bodyStream() {
    return bodyStream;
  }

  /** The bytes of the client's body read so far (all of it, unless it streams). */
  public long requestBytes() {
    return streamedBytes == null ? body.length : streamedBytes.getAsLong();
  }

  /** Counts bytes relayed to the client, for a call metered by bytes (a custom route). */
  public void countResponseBytes(long bytes) {
    responseBytes = Math.max(0, responseBytes) + bytes;
  }

  /** The bytes relayed to the client, or -1 when the call is not metered by bytes. */
  public long responseBytes() {
    return responseBytes;
  }

  /** Ends the call; later calls do nothing. */
  public void finish(int status, GatewayError error) {
    if (finished) {
      return;
    }
    finished = true;
    listener.finished(this, new Outcome(status, error, reported, outputEvents, outputChars,
        System.nanoTime() - startNanos, firstOutputNanos));
  }
}
