package io.tokenrouter.pipeline;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.IdentityMemo;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.TurnMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts what a prompt cache reads first into one stable order, without changing what the request
 * means: tools sorted by name (the model gets the same set), the instructions a conversation
 * starts with merged into one text (split differently by different clients, they would differ
 * in bytes), and, when a history budget is set, the oldest turns dropped to fit it. Message
 * order and content are never touched otherwise.
 *
 * <p>A client that placed its own cache breakpoints on tools or system has arranged them for its
 * cache: those are left as they are, so its breakpoints keep marking what it meant.
 *
 * <p>In an agent's next turn ({@link Envelope#memory()}) the merged instructions are the previous
 * turn's object again: the stages after this one remember what they made of a message by its
 * identity, and a new first message each turn would have them make the whole conversation again.
 */
public final class Arranger implements PromptStage {
  /** Tools in name order; a tool without a name (a provider built-in) keeps its place after the named ones. */
  private static final Comparator<Tool> BY_NAME = Comparator.comparing(Tool::name,
      Comparator.nullsLast(Comparator.naturalOrder()));
  private static final IdentityMemo<Message, Message> SYSTEMS = new IdentityMemo<>();
  /** By the first of the instruction messages merged. */
  private static final IdentityMemo<Message, Merged> LEADING = new IdentityMemo<>();
  private final TokenEstimator tokens;

  public Arranger(TokenEstimator tokens) {
    this.tokens = tokens;
  }

  @Override
  public Envelope apply(Envelope in, Call call) {
    PromptSettings settings = call.get(PromptPipeline.SETTINGS);
    Integer budget = settings == null ? null : settings.historyBudgetTokens();
    List<Tool> tools = sortedTools(in.tools());
    TurnMemory memory = in.memory();
    Message system = in.system() == null ? null : SYSTEMS.read(memory, in.system(), Arranger::mergedSystem);
    List<Message> messages = mergedLeadingInstructions(in.messages(), memory);
    if (budget != null) {
      messages = truncated(in, tools, system, messages, budget);
    }
    return in.toBuilder().tools(tools).system(system).messages(messages).build();
  }

  private static List<Tool> sortedTools(List<Tool> tools) {
    if (tools.size() < 2 || tools.stream().anyMatch(Arranger::marked)) {
      return tools;
    }
    for (int i = 1; i < tools.size(); i++) {
      if (BY_NAME.compare(tools.get(i - 1), tools.get(i)) > 0) {
        List<Tool> sorted = new ArrayList<>(tools);
        sorted.sort(BY_NAME);
        return sorted;
      }
    }
    return tools;
  }

  private static boolean marked(Tool t) {
    return t.extra().containsKey(Block.CACHE_CONTROL) || t.raw() != null && t.raw().has(Block.CACHE_CONTROL);
  }

  /** Anthropic's top-level system as one plain text, when it is only unmarked text blocks. */
  private static Message mergedSystem(Message system) {
    if (system == null || system.plainText() || !plainBlocks(system)) {
      return system;
    }
    return new Message(system.role(), List.of(Block.Text.of(join(system.content()))), true, system.extra());
  }

  /** The run of same-role instruction messages a conversation starts with, as one plain-text message. */
  private static List<Message> mergedLeadingInstructions(List<Message> messages, TurnMemory memory) {
    if (messages.isEmpty() || !messages.getFirst().isInstruction()) {
      return messages;
    }
    Message first = messages.getFirst();
    int end = 0;
    List<Block> blocks = new ArrayList<>();
    while (end < messages.size() && messages.get(end).role().equals(first.role())
        && messages.get(end).extra().isEmpty() && plainBlocks(messages.get(end))) {
      blocks.addAll(messages.get(end).content());
      end++;
    }
    if (end == 0 || end == 1 && first.plainText()) {
      return messages;
    }
    List<Message> run = messages.subList(0, end);
    Merged known = LEADING.get(memory, first);
    Message merged;
    if (known != null && known.of(run)) {
      merged = known.merged();
    } else {
      merged = new Message(first.role(), List.of(Block.Text.of(join(blocks))), true, first.extra());
      LEADING.put(memory, first, new Merged(List.copyOf(run), merged));
    }
    List<Message> out = new ArrayList<>(messages.size() - end + 1);
    out.add(merged);
    out.addAll(messages.subList(end, messages.size()));
    return out;
  }

  /** Instruction messages and the one they were merged into. */
  private record Merged(List<Message> run, Message merged) {
    /** Whether {@code others} are these very messages. */
    boolean of(List<Message> others) {
      if (others.size() != run.size()) {
        return false;
      }
      for (int i = 0; i < run.size(); i++) {
        if (others.get(i) != run.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Only text blocks, none carrying fields of its own (a cache breakpoint, citations). */
  private static boolean plainBlocks(Message m) {
    if (m.content().isEmpty()) {
      return false;
    }
    for (Block b : m.content()) {
      if (!(b instanceof Block.Text t) || !t.extra().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The texts as paragraphs: a piece that already ends with a blank line is followed directly,
   * others get the missing newlines, so a prompt split at its paragraph breaks (with or without
   * the break in the pieces) joins back to the same text.
   */
  static String join(List<Block> blocks) {
    StringBuilder out = new StringBuilder();
    for (Block b : blocks) {
      String text = ((Block.Text) b).text();
      if (text.isEmpty()) {
        continue;
      }
      if (!out.isEmpty()) {
        int n = out.length();
        if (out.charAt(n - 1) != '\n') {
          out.append("\n\n");
        } else if (n < 2 || out.charAt(n - 2) != '\n') {
          out.append('\n');
        }
      }
      out.append(text);
    }
    return out.toString();
  }

  /**
   * Drops the oldest exchanges until the request fits {@code budget} tokens. The cut is made only
   * at a user turn that answers no tool call (so no tool result loses its call), and only at the
   * first such turn past a multiple of a quarter of the budget: as the conversation grows the cut
   * stays where it is until the rest no longer fits, so the prefix after it stays cacheable
   * between cuts. Instruction messages are kept wherever they are; the newest turn always is.
   */
  private List<Message> truncated(Envelope in, List<Tool> tools, Message system, List<Message> messages, int budget) {
    String model = in.model();
    int fixed = 0;
    for (Tool t : tools) {
      fixed += tokens.countText(model, t.name() == null ? "" : t.name())
          + tokens.countText(model, t.description() == null ? "" : t.description())
          + tokens.countText(model, t.schema() == null ? "" : t.schema().toString());
    }
    if (system != null) {
      fixed += count(model, system);
    }
    int[] before = new int[messages.size() + 1];
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      int n = count(model, m);
      if (m.isInstruction()) {
        fixed += n;
        n = 0;
      }
      before[i + 1] = before[i] + n;
    }
    int history = before[messages.size()];
    if (fixed + history <= budget) {
      return messages;
    }
    int step = Math.max(1, budget / 4);
    int cut = -1;
    int candidate = 1;
    for (int mark = step; ; mark += step) {
      while (candidate < messages.size() && (!cleanStart(messages.get(candidate)) || before[candidate] < mark)) {
        candidate++;
      }
      if (candidate == messages.size()) {
        break;
      }
      cut = candidate;
      if (fixed + history - before[candidate] <= budget) {
        break;
      }
    }
    if (cut < 0) {
      return messages;
    }
    List<Message> kept = new ArrayList<>(messages.size());
    for (int i = 0; i < cut; i++) {
      if (messages.get(i).isInstruction()) {
        kept.add(messages.get(i));
      }
    }
    kept.addAll(messages.subList(cut, messages.size()));
    return kept;
  }

  private static boolean cleanStart(Message m) {
    if (!Message.USER.equals(m.role())) {
      return false;
    }
    for (Block b : m.content()) {
      if (b instanceof Block.ToolResult) {
        return false;
      }
    }
    return true;
  }

  private int count(String model, Message m) {
    int n = 3;
    for (Block b : m.content()) {
      n += switch (b) {
        case Block.Text t -> tokens.countText(model, t.text());
        case Block.ToolUse u -> tokens.countText(model, u.name()) + tokens.countText(model, u.input());
        case Block.ToolResult r -> count(model, new Message(Message.USER, r.content(), false, null));
        case Block.Thinking t -> tokens.countText(model, t.thinking());
        case Block.Opaque o -> tokens.countText(model, o.json().toString());
        case Block.Image i -> 0;
        case Block.RedactedThinking r -> 0;
      };
    }
    return n;
  }
}
