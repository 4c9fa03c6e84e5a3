package io.tokenrouter.billing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts tokens when a provider reports none. OpenAI-family models use their real tiktoken
 * encoding (o200k_base for gpt-4o, gpt-4.1, gpt-5 and o-series; cl100k_base for older ones);
 * every other model is estimated with cl100k_base, which lands within about 10-20% of Claude's,
 * Llama's and DeepSeek's tokenizers on English and code. Every figure from here is recorded as
 * an estimate, never as the provider's count.
 */
public final class TokenEstimator {
  /** OpenAI's documented per-message framing overhead for chat models. */
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int REPLY_PRIMING = 3;
  /** A body up to this size is counted on the event loop: well under a millisecond. */
  private static final int INLINE_COUNT_LIMIT = 16 * 1024;
  /** What a token averages in English and code, for a figure that cannot wait for a count. */
  private static final int BYTES_PER_TOKEN = 4;

  private final CompletableFuture<Loaded> encodings = new CompletableFuture<>();
  private final AtomicBoolean started = new AtomicBoolean();

  private record Loaded(Encoding o200k, Encoding cl100k) {
    /**
     * One after the other on one thread, so that a gateway that has just started keeps a core for
     * its first requests while this loads (about a second of CPU, o200k_base the larger part).
     */
    static Loaded read() {
      EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
      Encoding cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
      return new Loaded(registry.getEncoding(EncodingType.O200K_BASE), cl100k);
    }
  }

  /**
   * Starts reading the encodings on a thread of their own, if nothing has started it yet. The
   * gateway calls this once it listens: the encodings are 50 MB of maps that take a second of
   * CPU to build, which a start would otherwise wait for. Counting before then waits for them,
   * off the event loop.
   */
  public void loadInBackground() {
    if (started.compareAndSet(false, true)) {
      Thread.ofPlatform().name("tokenizer-load").daemon(true).start(this::load);
    }
  }

  private void load() {
    try {
      encodings.complete(Loaded.read());
    } catch (RuntimeException e) {
      encodings.completeExceptionally(e);
    } catch (Error e) {
      // the counts waiting for the encodings fail rather than wait for ever
      encodings.completeExceptionally(e);
      throw e;
    }
  }

  /** Whether the encodings are there, so that counting costs only the count. */
  public boolean loaded() {
    return encodings.isDone() && !encodings.isCompletedExceptionally();
  }

  /**
   * Completes, on the calling event loop, once the encodings are there: at once when they are,
   * or when the background load ends. The load is started if it was not.
   */
  public Future<Void> ready() {
    if (loaded()) {
      return Future.succeededFuture();
    }
    loadInBackground();
    Context context = Vertx.currentContext();
    Future<Loaded> loaded = context == null ? Future.fromCompletionStage(encodings)
        : Future.fromCompletionStage(encodings, context);
    return loaded.mapEmpty();
  }

  /**
   * The prompt's tokens, without blocking an event loop: a small body is counted on the calling
   * thread once the encodings are loaded, a large one on a worker thread; before the encodings
   * are loaded the count waits for them.
   */
  public Future<Integer> countPrompt(Envelope envelope, String model, int bodySize) {
    if (!loaded()) {
      return ready().compose(v -> countPrompt(envelope, model, bodySize));
    }
    Context context = Vertx.currentContext();
    if (bodySize <= INLINE_COUNT_LIMIT || context == null) {
      try {
        return Future.succeededFuture(countPrompt(envelope, model));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return context.executeBlocking(() -> countPrompt(envelope, model), false);
  }

  /**
   * A figure at once, for a reply that cannot wait: the count when it is cheap (a small body,
   * the encodings loaded), otherwise the body's size at about four bytes a token.
   */
  public int estimatePrompt(Envelope envelope, String model, int bodySize) {
    return bodySize <= INLINE_COUNT_LIMIT && loaded() ? countPrompt(envelope, model) : bodySize / BYTES_PER_TOKEN;
  }

  private Loaded encodings() {
    if (started.compareAndSet(false, true)) {
      load();
    }
    try {
      return encodings.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof IllegalStateException cause ? cause
          : new IllegalStateException("cannot load the tokenizer's encodings: " + e.getCause().getMessage(),
              e.getCause());
    }
  }

  public int countText(String model, String text) {
    return text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
  }

  /** The longest prefix of {@code text} that is at most {@code maxTokens} tokens. */
  public String truncate(String model, String text, int maxTokens) {
    Encoding encoding = encodingFor(model);
    IntArrayList tokens = encoding.encodeOrdinary(text);
    if (tokens.size() <= maxTokens) {
      return text;
    }
    IntArrayList kept = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) {
      kept.add(tokens.get(i));
    }
    return encoding.decode(kept);
  }

  /**
   * The prompt's tokens as {@code model} (the provider's name for it) would count them, on the
   * calling thread, waiting for the encodings while they load: not for an event loop (see
   * {@link #countPrompt(Envelope, String, int)}).
   */
  public int countPrompt(Envelope envelope, String model) {
    Encoding encoding = encodingFor(model);
    int total = REPLY_PRIMING;
    if (envelope.system() != null) {
      total += count(encoding, envelope.system());
    }
    for (Message m : envelope.messages()) {
      total += count(encoding, m);
    }
    for (Tool t : envelope.tools()) {
      String schema = t.schema() == null ? "" : t.schema().toString();
      total += encoding.countTokensOrdinary(String.valueOf(t.name()))
          + encoding.countTokensOrdinary(t.description() == null ? "" : t.description())
          + encoding.countTokensOrdinary(schema);
    }
    return total;
  }

  private static int count(Encoding encoding, Message m) {
    int total = TOKENS_PER_MESSAGE;
    for (Block b : m.content()) {
      total += count(encoding, b);
    }
    return total;
  }

  private static int count(Encoding encoding, Block b) {
    return switch (b) {
      case Block.Text t -> encoding.countTokensOrdinary(t.text());
      case Block.ToolUse u -> encoding.countTokensOrdinary(u.name()) + encoding.countTokensOrdinary(u.input());
      case Block.ToolResult r -> {
        int n = 0;
        for (Block inner : r.content()) {
          n += count(encoding, inner);
        }
        yield n;
      }
      case Block.Thinking t -> encoding.countTokensOrdinary(t.thinking());
      case Block.Opaque o -> encoding.countTokensOrdinary(o.json().toString());
      case Block.Image i -> 0;
      case Block.RedactedThinking r -> 0;
    };
  }

  private Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    boolean newer = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o");
    Loaded loaded = encodings();
    return newer ? loaded.o200k() : loaded.cl100k();
  }
}
