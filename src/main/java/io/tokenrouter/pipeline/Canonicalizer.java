package io.tokenrouter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.IdentityMemo;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.TurnMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives what means the same the same bytes, so two requests that mean the same are identical up
 * to their first real difference: object keys sorted in tool schemas and in tool-call arguments,
 * and the whitespace of instructions and tool descriptions normalised (line ends, trailing
 * spaces, runs of blank lines, leading and trailing blank space).
 *
 * <p>Conversation text is left exactly as sent: a user's or a tool's text may be code or a file
 * whose whitespace matters (an agent's edit tool matches it byte for byte).
 *
 * <p>An agent's next turn brings the previous turn's messages and tools as the same objects
 * ({@link Envelope#memory()}): their canonical forms are remembered, so each is made once
 * per conversation and is itself the same object every turn.
 */
public final class Canonicalizer implements PromptStage {
  private static final IdentityMemo<Tool, Tool> TOOLS = new IdentityMemo<>();
  private static final IdentityMemo<Message, Message> INSTRUCTIONS = new IdentityMemo<>();
  private static final IdentityMemo<Message, Message> MESSAGES = new IdentityMemo<>();

  @Override
  public Envelope apply(Envelope in, Call call) {
    TurnMemory memory = in.memory();
    Message system = in.system() == null ? null : INSTRUCTIONS.read(memory, in.system(), Canonicalizer::instructions);
    return in.toBuilder().tools(tools(in.tools(), memory)).system(system)
        .messages(messages(in.messages(), memory)).build();
  }

  private static List<Tool> tools(List<Tool> tools, TurnMemory memory) {
    List<Tool> out = null;
    for (int i = 0; i < tools.size(); i++) {
      Tool t = tools.get(i);
      Tool c = TOOLS.read(memory, t, Canonicalizer::tool);
      if (c != t && out == null) {
        out = new ArrayList<>(tools.subList(0, i));
      }
      if (out != null) {
        out.add(c);
      }
    }
    return out == null ? tools : out;
  }

  private static Tool tool(Tool t) {
    if (!t.isFunction()) {
      return t;
    }
    JsonNode schema = t.schema() == null ? null : CanonicalJson.sorted(t.schema());
    String description = t.description() == null ? null : Whitespace.tidy(t.description());
    if (schema == t.schema() && description == t.description()) {
      return t;
    }
    return new Tool(t.type(), t.name(), description, schema, t.extra(), t.dialect(), t.raw());
  }

  private static List<Message> messages(List<Message> messages, TurnMemory memory) {
    List<Message> out = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      // with a conversation's memory a message is made canonical once, and its calls' arguments
      // need not go into the process-wide cache, which is for the short requests that have none
      Message c = memory == null ? canonical(m, true) : MESSAGES.read(memory, m, Canonicalizer::canonicalOnce);
      if (c != m && out == null) {
        out = new ArrayList<>(messages.subList(0, i));
      }
      if (out != null) {
        out.add(c);
      }
    }
    return out == null ? messages : out;
  }

  private static Message canonicalOnce(Message m) {
    return canonical(m, false);
  }

  private static Message canonical(Message m, boolean resent) {
    return m.isInstruction() ? instructions(m) : toolCalls(m, resent);
  }

  /** Instructions with their text blocks' whitespace normalised. */
  private static Message instructions(Message m) {
    if (m == null) {
      return null;
    }
    List<Block> out = null;
    for (int i = 0; i < m.content().size(); i++) {
      Block b = m.content().get(i);
      Block c = b instanceof Block.Text t ? tidy(t) : b;
      if (c != b && out == null) {
        out = new ArrayList<>(m.content().subList(0, i));
      }
      if (out != null) {
        out.add(c);
      }
    }
    return out == null ? m : m.withContent(out, m.plainText());
  }

  private static Block tidy(Block.Text t) {
    String text = Whitespace.tidy(t.text());
    return text == t.text() ? t : new Block.Text(text, t.extra());
  }

  /**
   * A message with its tool calls' arguments in canonical JSON.
   *
   * @param resent whether the arguments may come again in another request, found then in a cache
   */
  private static Message toolCalls(Message m, boolean resent) {
    List<Block> out = null;
    for (int i = 0; i < m.content().size(); i++) {
      Block b = m.content().get(i);
      Block c = b;
      if (b instanceof Block.ToolUse u) {
        String input = resent ? CanonicalJson.text(u.input()) : CanonicalJson.textOnce(u.input());
        if (input != u.input()) {
          c = new Block.ToolUse(u.id(), u.name(), input, u.extra());
        }
      }
      if (c != b && out == null) {
        out = new ArrayList<>(m.content().subList(0, i));
      }
      if (out != null) {
        out.add(c);
      }
    }
    return out == null ? m : m.withContent(out, m.plainText());
  }
}
