package io.tokenrouter.billing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;

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

  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

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
    for (Message m : envelope.messages()) {
      total += TOKENS_PER_MESSAGE + encoding.countTokensOrdinary(m.text());
      for (var call : m.toolCalls()) {
        total += encoding.countTokensOrdinary(call.name()) + encoding.countTokensOrdinary(call.arguments());
      }
    }
    for (Tool t : envelope.tools()) {
      String schema = t.parameters() == null ? "" : t.parameters().toString();
      total += encoding.countTokensOrdinary(String.valueOf(t.name()))
          + encoding.countTokensOrdinary(t.description() == null ? "" : t.description())
          + encoding.countTokensOrdinary(schema);
    }
    return total;
  }

  private Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
    boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o");
    return registry.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
  }
}
