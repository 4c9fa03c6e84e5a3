package io.tokenrouter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.IdentityMemo;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.envelope.TurnMemory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Hashes a request in one pass over a canonical encoding of it (JSON keys sorted at every depth;
 * how the client happened to format its body plays no part), taking the digest's state at the
 * end of the instructions, of the conversation's first turn, of the stable prefix, and at the end.
 * The encoding is binary and unambiguous (a tag before each value, a length before each text), so
 * hashing costs little more than the SHA-256 of the prompt's text.
 */
public final class Hasher {
  /**
   * The conversation hash of the call, for session affinity: requests of one conversation carry
   * the same value from their first turn on. Left on the call by the pipeline when the hasher runs.
   */
  public static final Attachment<String> CONVERSATION_KEY = Attachment.named("prompt conversation hash");

  /** The step for a request without instructions: the parts of a walk are objects, compared by identity. */
  private static final Object NO_INSTRUCTIONS = new Object();
  /**
   * After each part of a remembered walk, the digest's state, by the part and the state before it:
   * pairs of the state before and the state after, newest first, so that finding the pair for a
   * state before reads one array. A state is never fed once kept (a walk feeds a copy), so its
   * identity tells the walks that reached it apart.
   */
  private static final IdentityMemo<Object, MessageDigest[]> LINKS = new IdentityMemo<>();
  /** A request can share its parts with this many others' walks that reached them from elsewhere. */
  private static final int LINKS_PER_PART = 2;
  private static final MessageDigest START = sha256();

  private Hasher() {}

  public static PromptHashes hash(Envelope request, Chunks chunks) {
    Walk w = new Walk(request.memory());
    for (Tool t : request.tools()) {
      w.step(t, f -> tool(f, t));
    }
    Message system = request.system();
    w.step(system == null ? NO_INSTRUCTIONS : system, f -> {
      f.tag('|');
      if (system != null) {
        message(f, system);
      }
    });
    List<Message> messages = request.messages();
    int leading = chunks.leadingInstructions();
    int firstTurnEnd = Math.min(messages.size(), leading + 1);
    int stableEnd = chunks.stableMessages();
    String shared = null;
    String conversation = null;
    String prefix = null;
    for (int i = 0; i <= messages.size(); i++) {
      if (i == leading) {
        shared = w.snapshot();
      }
      if (i == firstTurnEnd) {
        conversation = w.snapshot();
      }
      if (i == stableEnd) {
        prefix = w.snapshot();
      }
      if (i < messages.size()) {
        Message m = messages.get(i);
        w.step(m, f -> message(f, m));
      }
    }
    Feed f = w.feed();
    f.tag('|');
    rest(f, request);
    return new PromptHashes(shared, prefix, conversation, f.digest());
  }

  private static void tool(Feed f, Tool t) {
    f.tag('T');
    f.text(t.type());
    f.text(t.name());
    f.text(t.description());
    f.json(t.schema());
    f.fields(t.extra());
    f.unmarked(t.raw());
  }

  /** A message by what it says: whether its content was a plain string or one text block makes no difference. */
  private static void message(Feed f, Message m) {
    f.tag('M');
    f.text(m.role());
    blocks(f, m.content());
    f.fields(m.extra());
  }

  private static void blocks(Feed f, List<Block> blocks) {
    f.tag('[');
    f.number(blocks.size());
    for (Block b : blocks) {
      switch (b) {
        case Block.Text t -> {
          f.tag('t');
          f.text(t.text());
        }
        case Block.Image i -> {
          f.tag('i');
          f.text(i.url());
        }
        case Block.ToolUse u -> {
          f.tag('u');
          f.text(u.id());
          f.text(u.name());
          f.text(u.input());
        }
        case Block.ToolResult r -> {
          f.tag('r');
          f.text(r.toolUseId());
          f.tag(r.isError() ? 'e' : 'o');
          blocks(f, r.content());
        }
        case Block.Thinking t -> {
          f.tag('k');
          f.text(t.thinking());
          f.text(t.signature());
        }
        case Block.RedactedThinking r -> {
          f.tag('x');
          f.text(r.data());
        }
        case Block.Opaque o -> {
          f.tag('?');
          f.text(o.dialect().name());
          f.unmarked(o.json());
        }
      }
      f.fields(b.extra());
    }
  }

  /** Everything else that shapes the answer: who asked in which API, for what model, how. */
  private static void rest(Feed f, Envelope request) {
    f.text(request.dialect().name());
    f.text(request.operation().name());
    f.text(request.model());
    f.tag(request.stream() ? 's' : 'w');
    ToolChoice choice = request.toolChoice();
    if (choice == null) {
      f.tag('-');
    } else {
      f.text(choice.mode().name());
      f.text(choice.name());
      f.json(choice.raw());
    }
    f.tag(request.parallelToolCalls() == null ? '-' : request.parallelToolCalls() ? 'p' : 'q');
    f.number(request.maxOutput() == null ? -1 : request.maxOutput().tokens());
    f.number(request.stopSequences().size());
    request.stopSequences().forEach(f::text);
    f.fields(request.params());
    f.number(request.headers().size());
    new TreeMap<>(request.headers()).forEach((k, v) -> {
      f.text(k);
      f.text(v);
    });
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Values into the digest: a tag byte before each, a length before each text and each
   * collection. Small values are gathered in a buffer, so the digest is fed in bulk.
   */
  private static final class Feed {
    private final MessageDigest digest;
    /** A few SHA-256 blocks: enough to feed the digest in bulk; larger cost each request 8 KB of garbage. */
    private final byte[] buffer = new byte[512];
    private int used;

    Feed(MessageDigest digest) {
      this.digest = digest;
    }

    /** The digest's state after everything fed, apart from the digest going on. */
    MessageDigest state() {
      flush();
      return copy(digest);
    }

    void tag(char c) {
      if (used == buffer.length) {
        flush();
      }
      buffer[used++] = (byte) c;
    }

    void number(long n) {
      if (used + 8 > buffer.length) {
        flush();
      }
      for (int shift = 56; shift >= 0; shift -= 8) {
        buffer[used++] = (byte) (n >>> shift);
      }
    }

    void text(String s) {
      if (s == null) {
        tag('0');
        return;
      }
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      tag('"');
      number(bytes.length);
      if (used + bytes.length > buffer.length) {
        flush();
        digest.update(bytes);
      } else {
        System.arraycopy(bytes, 0, buffer, used, bytes.length);
        used += bytes.length;
      }
    }

    private void flush() {
      digest.update(buffer, 0, used);
      used = 0;
    }

    /** The digest of everything fed. */
    String digest() {
      flush();
      return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Fields in key order, less cache breakpoints: they change where a cache entry is written,
     * not what is asked (and a client such as Claude Code moves one every turn).
     */
    void fields(Map<String, JsonNode> fields) {
      tag('{');
      if (fields.isEmpty()) {
        number(0);
        return;
      }
      Map<String, JsonNode> sorted = new TreeMap<>(fields);
      sorted.remove(Block.CACHE_CONTROL);
      number(sorted.size());
      sorted.forEach((name, value) -> {
        text(name);
        json(value);
      });
    }

    /** A block or tool kept whole as JSON, less its cache breakpoint (see {@link #fields}). */
    void unmarked(JsonNode node) {
      if (node == null || !node.isObject() || !node.has(Block.CACHE_CONTROL)) {
        json(node);
        return;
      }
      Map<String, JsonNode> fields = new TreeMap<>();
      node.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
      fields(fields);
    }

    /** A JSON value with object keys in sorted order. */
    void json(JsonNode node) {
      if (node == null) {
        tag('0');
      } else if (node.isObject()) {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        tag('{');
        number(names.size());
        for (String name : names) {
          text(name);
          json(node.get(name));
        }
      } else if (node.isArray()) {
        tag('[');
        number(node.size());
        for (JsonNode item : node) {
          json(item);
        }
      } else if (node.isTextual()) {
        text(node.textValue());
      } else {
        // numbers, booleans and null by their JSON text
        tag('#');
        text(node.asText());
      }
    }

    /** The digest of what was fed so far, the digest itself going on. */
    String snapshot() {
      return HexFormat.of().formatHex(state().digest());
    }
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  /**
   * The parts of a request fed in order. An agent's next turn has the previous turn's tools,
   * instructions and messages as the same objects (the readers and the canonicaliser remember
   * them), so a remembered walk takes the digest's state after each part it has met before from
   * the same state, and feeds only from the first part it has not: a turn's hashing costs its new
   * messages, not the whole conversation. A state is kept per part and state before it, so the
   * hashes are those of feeding everything, whichever turns came before.
   */
  private static final class Walk {
    /** Where the states are remembered; null when they are not. */
    private final TurnMemory memory;
    /** The state after the parts walked so far; null without a memory. */
    private MessageDigest at;
    private Feed feed;

    Walk(TurnMemory memory) {
      this.memory = memory;
      if (memory != null) {
        at = START;
      } else {
        feed = new Feed(sha256());
      }
    }

    void step(Object part, Consumer<Feed> write) {
      if (feed == null) {
        MessageDigest met = met(part, at);
        if (met != null) {
          at = met;
          return;
        }
        feed = new Feed(copy(at));
      }
      write.accept(feed);
      if (memory != null) {
        MessageDigest next = feed.state();
        MessageDigest[] known = LINKS.get(memory, part);
        MessageDigest[] pairs = known == null ? new MessageDigest[2] : Arrays.copyOf(known, Math.min(known.length + 2,
            2 * LINKS_PER_PART));
        System.arraycopy(pairs, 0, pairs, 2, pairs.length - 2);
        pairs[0] = at;
        pairs[1] = next;
        LINKS.put(memory, part, pairs);
        at = next;
      }
    }

    private MessageDigest met(Object part, MessageDigest before) {
      MessageDigest[] pairs = LINKS.get(memory, part);
      if (pairs != null) {
        for (int i = 0; i < pairs.length; i += 2) {
          if (pairs[i] == before) {
            return pairs[i + 1];
          }
        }
      }
      return null;
    }

    String snapshot() {
      return feed == null ? HexFormat.of().formatHex(copy(at).digest()) : feed.snapshot();
    }

    /** Where the rest is fed, from the state after the last part. */
    Feed feed() {
      if (feed == null) {
        feed = new Feed(copy(at));
      }
      return feed;
    }
  }
}
