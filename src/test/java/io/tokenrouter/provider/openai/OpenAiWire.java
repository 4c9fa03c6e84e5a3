package io.tokenrouter.provider.openai;

import io.tokenrouter.envelope.Envelope;

/** The OpenAI chat request writer, for tests outside its package: the bytes a provider would receive. */
public final class OpenAiWire {
  private OpenAiWire() {}

  public static byte[] write(Envelope envelope, String model) {
    return OpenAiRequestWriter.write(envelope, model).getBytes();
  }
}
