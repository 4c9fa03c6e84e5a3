package io.tokenrouter.billing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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

  private final Encoding o200k;
  private final Encoding cl100k;

  /**
   * Loads both encodings now, never lazily, on an event loop, in the middle of a request. They
   * take about a second of CPU together, o200k_base the larger part: it loads on a thread of its
   * own (and its own registry, whose map would otherwise serialise the two) while this one loads
   * cl100k_base, so a start waits for the larger one, not for both one after the other.
   */
  public TokenEstimator() {
    FutureTask<Encoding> newer = new FutureTask<>(
        () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    Thread.ofPlatform().name("tokenizer-o200k").daemon(true).start(newer);
    this.cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    this.o200k = loaded(newer);
  }

  private static Encoding loaded(FutureTask<Encoding> encoding) {
    try {
      return encoding.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the o200k_base encoding", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot load the o200k_base encoding: " + e.getCause().getMessage(),
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

  /** The prompt's tokens as {@code model} (the provider's name for it) would count them. */
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
    String m = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
    boolean newer = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o");
    return newer ? o200k : cl100k;
  }
}
