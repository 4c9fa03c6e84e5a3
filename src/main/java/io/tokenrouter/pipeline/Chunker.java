package io.tokenrouter.pipeline;

import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.pipeline.Chunks.Chunk;
import io.tokenrouter.pipeline.Chunks.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a request into {@link Chunks}. Tools, system and the finished exchanges of the history
 * are stable: agents resend them unchanged every turn. The newest turn is stable too once the
 * conversation is under way (it has an assistant turn before it), because the next request
 * repeats it as history; on a conversation's first request it may as well be a one-off, and is
 * volatile. A chunker that is turned off treats the whole conversation as volatile: only tools
 * and system count as a stable prefix.
 */
public final class Chunker {
  private Chunker() {}

  public static Chunks chunk(Envelope request, boolean conversationStable) {
    List<Message> messages = request.messages();
    List<Chunk> out = new ArrayList<>();
    if (!request.tools().isEmpty()) {
      out.add(new Chunk(Kind.TOOLS, 0, 0, true));
    }
    int leading = 0;
    while (leading < messages.size() && messages.get(leading).isInstruction()) {
      leading++;
    }
    if (request.system() != null || leading > 0) {
      out.add(new Chunk(Kind.SYSTEM, 0, leading, true));
    }
    int from = leading;
    boolean exchanged = false;
    for (int i = leading; i < messages.size(); i++) {
      if (Message.ASSISTANT.equals(messages.get(i).role()) && i < messages.size() - 1) {
        out.add(new Chunk(Kind.TURN, from, i + 1, conversationStable));
        exchanged = true;
        from = i + 1;
      }
    }
    if (from < messages.size()) {
      out.add(new Chunk(Kind.NEWEST, from, messages.size(), conversationStable && exchanged));
    }
    return new Chunks(out);
  }
}
