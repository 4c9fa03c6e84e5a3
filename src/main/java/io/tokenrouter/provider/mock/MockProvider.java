package io.tokenrouter.provider.mock;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.reply.BufferedReply;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplySink;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider without a network: the answer is derived from the last user message
 * ("Echo: ..."), streamed one word per event with the configured delay, and usage is counted
 * with the gateway's tokenizer, as a provider counts its own. Deterministic, so demos and tests
 * can assert on it; it answers every client API that generates, since its answer is neutral events.
 */
final class MockProvider implements OutboundAdapter {
  private final Vertx vertx;
  private final long chunkDelayMs;
  private final TokenEstimator tokens;

  MockProvider(Vertx vertx, long chunkDelayMs, TokenEstimator tokens) {
    this.vertx = vertx;
    this.chunkDelayMs = Math.max(1, chunkDelayMs);
    this.tokens = tokens;
  }

  /** The answer the mock gives to a request: public so tests and the README agree with it. */
  public static String replyTo(Envelope request) {
    String last = "";
    for (Message m : request.messages()) {
      if (Message.USER.equals(m.role()) && m.content().stream().anyMatch(b -> b instanceof Block.Text)) {
        last = m.text();
      }
    }
    return "Echo: " + last;
  }

  @Override
  public Future<Reply> send(UpstreamRequest request) {
    // the mock counts every prompt, as a provider would: its requests are small, so the count is
    // made on the event loop unless the encodings are still loading
    return tokens.countPrompt(request.envelope(), request.model(), 0).map(prompt -> reply(request, prompt));
  }

  private Reply reply(UpstreamRequest request, int prompt) {
    Envelope env = request.envelope();
    if (env.operation() == Operation.COUNT_TOKENS) {
      return new BufferedReply(List.of(new ReplyEvent.TokenCount(prompt)));
    }
    // max_tokens is not honoured: the gateway's own output cap is tested against this
    List<String> words = words(replyTo(env));
    String id = "msg-mock-" + Long.toHexString(System.nanoTime());
    Usage usage = new Usage(prompt, words.size(), 0, 0, false);
    StopReason stop = StopReason.END_TURN;
    if (!env.stream()) {
      List<ReplyEvent> events = new ArrayList<>();
      events.add(new ReplyEvent.Start(id, request.model()));
      events.add(new ReplyEvent.BlockStart(0, ReplyEvent.BlockKind.TEXT, null, null));
      events.add(new ReplyEvent.TextDelta(0, String.join("", words)));
      events.add(new ReplyEvent.BlockStop(0));
      events.add(new ReplyEvent.Stop(stop, null));
      events.add(new ReplyEvent.UsageReport(usage));
      return new BufferedReply(events);
    }
    return new MockStream(id, request.model(), words, stop, usage, new Usage(prompt, 0, 0, 0, false));
  }

  @Override
  public boolean supports(Operation operation) {
    return operation == Operation.GENERATE || operation == Operation.COUNT_TOKENS;
  }

  /** Splits on spaces, keeping each space with the word before it, so the pieces concatenate back. */
  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ' ') {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  /** One running mock stream; lives on the event loop that started it. */
  private final class MockStream implements Reply {
    private final String id;
    private final String model;
    private final List<String> words;
    private final StopReason stop;
    private final Usage usage;
    private final Usage started;
    private ReplySink sink;
    private int index = -1;
    private boolean paused;
    private boolean over;
    private boolean scheduled;

    MockStream(String id, String model, List<String> words, StopReason stop, Usage usage, Usage started) {
      this.id = id;
      this.model = model;
      this.words = words;
      this.stop = stop;
      this.usage = usage;
      this.started = started;
    }

    @Override
    public void start(ReplySink target) {
      this.sink = target;
      sink.event(new ReplyEvent.Start(id, model));
      sink.event(new ReplyEvent.UsageReport(started));
      sink.event(new ReplyEvent.BlockStart(0, ReplyEvent.BlockKind.TEXT, null, null));
      schedule();
    }

    private void next() {
      scheduled = false;
      if (over || paused) {
        return;
      }
      index++;
      if (index < words.size()) {
        sink.event(new ReplyEvent.TextDelta(0, words.get(index)));
        schedule();
        return;
      }
      over = true;
      sink.event(new ReplyEvent.BlockStop(0));
      sink.event(new ReplyEvent.Stop(stop, null));
      sink.event(new ReplyEvent.UsageReport(usage));
      sink.end(null);
    }

    private void schedule() {
      if (!scheduled && !over) {
        scheduled = true;
        vertx.setTimer(chunkDelayMs, t -> next());
      }
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      if (paused) {
        paused = false;
        schedule();
      }
    }

    @Override
    public void cancel() {
      if (!over) {
        over = true;
        sink.end(null);
      }
    }
  }
}
