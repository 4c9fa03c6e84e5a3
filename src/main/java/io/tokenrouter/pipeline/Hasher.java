package io.tokenrouter.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hashes a request in one pass over a canonical encoding of it (JSON keys sorted at every depth;
 * how the client happened to format its body plays no part), taking the digest's state at the
 * end of the instructions, of the conversation's first turn, of the stable prefix, and at the end.
 */
public final class Hasher {
  /**
   * The conversation hash of the call, for session affinity: requests of one conversation carry
   * the same value from their first turn on. Left on the call by the pipeline when the hasher runs.
   */
  public static final Attachment<String> CONVERSATION_KEY = Attachment.named("prompt conversation hash");

  private Hasher() {}

  public static PromptHashes hash(Envelope request, Chunks chunks) {
    MessageDigest digest = sha256();
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(new DigestStream(digest))) {
      g.writeStartArray();
      for (Tool t : request.tools()) {
        tool(g, t);
      }
      g.writeNull();
      if (request.system() != null) {
        message(g, request.system());
      }
      List<Message> messages = request.messages();
      int leading = chunks.leadingInstructions();
      int firstTurnEnd = Math.min(messages.size(), leading + 1);
      int stableEnd = chunks.stableMessages();
      String shared = null;
      String conversation = null;
      String prefix = null;
      for (int i = 0; i <= messages.size(); i++) {
        if (i == leading) {
          shared = snapshot(g, digest);
        }
        if (i == firstTurnEnd) {
          conversation = snapshot(g, digest);
        }
        if (i == stableEnd) {
          prefix = snapshot(g, digest);
        }
        if (i < messages.size()) {
          message(g, messages.get(i));
        }
      }
      g.writeNull();
      rest(g, request);
      g.writeEndArray();
      g.flush();
      return new PromptHashes(shared, prefix, conversation, HexFormat.of().formatHex(digest.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The digest of what was written so far, the digest itself going on. */
  private static String snapshot(JsonGenerator g, MessageDigest digest) throws IOException {
    g.flush();
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  private static void tool(JsonGenerator g, Tool t) throws IOException {
    g.writeStartArray();
    g.writeString(t.type());
    g.writeString(t.name());
    g.writeString(t.description());
    sorted(g, t.schema());
    fields(g, t.extra());
    unmarked(g, t.raw());
    g.writeEndArray();
  }

  /** A message by what it says: whether its content was a plain string or one text block makes no difference. */
  private static void message(JsonGenerator g, Message m) throws IOException {
    g.writeStartArray();
    g.writeString(m.role());
    blocks(g, m.content());
    fields(g, m.extra());
    g.writeEndArray();
  }

  private static void blocks(JsonGenerator g, List<Block> blocks) throws IOException {
    g.writeStartArray();
    for (Block b : blocks) {
      g.writeStartArray();
      switch (b) {
        case Block.Text t -> {
          g.writeString("text");
          g.writeString(t.text());
        }
        case Block.Image i -> {
          g.writeString("image");
          g.writeString(i.url());
        }
        case Block.ToolUse u -> {
          g.writeString("tool_use");
          g.writeString(u.id());
          g.writeString(u.name());
          g.writeString(u.input());
        }
        case Block.ToolResult r -> {
          g.writeString("tool_result");
          g.writeString(r.toolUseId());
          g.writeBoolean(r.isError());
          blocks(g, r.content());
        }
        case Block.Thinking t -> {
          g.writeString("thinking");
          g.writeString(t.thinking());
          g.writeString(t.signature());
        }
        case Block.RedactedThinking r -> {
          g.writeString("redacted_thinking");
          g.writeString(r.data());
        }
        case Block.Opaque o -> {
          g.writeString("opaque");
          g.writeString(o.dialect().name());
          unmarked(g, o.json());
        }
      }
      fields(g, b.extra());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /** Everything else that shapes the answer: who asked in which API, for what model, how. */
  private static void rest(JsonGenerator g, Envelope request) throws IOException {
    g.writeString(request.dialect().name());
    g.writeString(request.operation().name());
    g.writeString(request.model());
    g.writeBoolean(request.stream());
    ToolChoice choice = request.toolChoice();
    if (choice == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      g.writeString(choice.mode().name());
      g.writeString(choice.name());
      sorted(g, choice.raw());
      g.writeEndArray();
    }
    if (request.parallelToolCalls() == null) {
      g.writeNull();
    } else {
      g.writeBoolean(request.parallelToolCalls());
    }
    if (request.maxOutput() == null) {
      g.writeNull();
    } else {
      g.writeNumber(request.maxOutput().tokens());
    }
    g.writeStartArray();
    for (String s : request.stopSequences()) {
      g.writeString(s);
    }
    g.writeEndArray();
    fields(g, request.params());
    g.writeStartObject();
    for (Map.Entry<String, String> h : new TreeMap<>(request.headers()).entrySet()) {
      g.writeStringField(h.getKey(), h.getValue());
    }
    g.writeEndObject();
  }

  /**
   * Fields in key order, less cache breakpoints: they change where a cache entry is written, not
   * what is asked (and a client such as Claude Code moves one every turn).
   */
  private static void fields(JsonGenerator g, Map<String, JsonNode> fields) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, JsonNode> f : new TreeMap<>(fields).entrySet()) {
      if (f.getKey().equals(Block.CACHE_CONTROL)) {
        continue;
      }
      g.writeFieldName(f.getKey());
      sorted(g, f.getValue());
    }
    g.writeEndObject();
  }

  /** A block or tool kept whole as JSON, less its cache breakpoint (see {@link #fields}). */
  private static void unmarked(JsonGenerator g, JsonNode node) throws IOException {
    if (node == null || !node.has(Block.CACHE_CONTROL)) {
      sorted(g, node);
      return;
    }
    List<String> names = new ArrayList<>(node.size());
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    g.writeStartObject();
    for (String name : names) {
      if (!name.equals(Block.CACHE_CONTROL)) {
        g.writeFieldName(name);
        sorted(g, node.get(name));
      }
    }
    g.writeEndObject();
  }

  /** A JSON value with object keys in sorted order, written without building a sorted copy. */
  private static void sorted(JsonGenerator g, JsonNode node) throws IOException {
    if (node == null) {
      g.writeNull();
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>(node.size());
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      g.writeStartObject();
      for (String name : names) {
        g.writeFieldName(name);
        sorted(g, node.get(name));
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode item : node) {
        sorted(g, item);
      }
      g.writeEndArray();
    } else {
      g.writeTree(node);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Bytes straight into the digest. */
  private static final class DigestStream extends OutputStream {
    private final MessageDigest digest;

    DigestStream(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }
  }
}
