package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.pipeline.Hasher;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Keeps a conversation on the target and key that served it, since providers' prompt caches
 * and rate-limit buckets are per provider and key. A conversation is known by, in order: the
 * client's session header; the prompt pipeline's hash of its instructions, tools and first turn
 * ({@link Hasher#CONVERSATION_KEY}), which stay the same for all its turns; or, when the
 * pipeline's hasher did not run, a hash of the same made here.
 */
public final class SessionAffinity {
  /** Agent clients' session headers (Claude Code, Codex CLI, generic), first present wins. */
  static final List<String> HEADERS = List.of("x-claude-code-session-id", "session-id", "x-session-id");
  /** Longer session values are hashed before they become a store key. */
  private static final int MAX_RAW_SESSION = 128;
  private final PinStore pins;

  public SessionAffinity(PinStore pins) {
    this.pins = pins;
  }

  /** The call's session key, or null when nothing identifies a conversation. */
  public String session(Call call) {
    for (String header : HEADERS) {
      String value = call.headers().get(header);
      if (value != null && !value.isBlank()) {
        return bounded(value);
      }
    }
    String hashed = call.get(Hasher.CONVERSATION_KEY);
    return hashed != null ? hashed : conversation(call.envelope());
  }

  /** Where {@code session} was last served for {@code route}, or null. */
  public Future<Pin> pinned(String route, String session, Duration ttl) {
    return pins.get(key(route, session), ttl).map(Pin::decode);
  }

  public void pin(String route, String session, Pin pin, Duration ttl) {
    pins.put(key(route, session), pin.encode(), ttl);
  }

  private static String key(String route, String session) {
    return "affinity:" + route + ":" + session;
  }

  private static String bounded(String session) {
    return session.length() <= MAX_RAW_SESSION ? session : sha256(session.getBytes(StandardCharsets.UTF_8));
  }

  /** A hash of what every turn of a conversation repeats: instructions, tools, the first user turn. */
  static String conversation(Envelope request) {
    MessageDigest digest = digest();
    boolean any = false;
    if (request.system() != null) {
      any |= add(digest, request.system().text());
    }
    for (Tool tool : request.tools()) {
      any |= add(digest, tool.name());
      if (tool.schema() != null) {
        add(digest, tool.schema().toString());
      }
    }
    for (Message message : request.messages()) {
      any |= add(digest, message.text());
      if (!message.isInstruction()) {
        break;
      }
    }
    return any ? HexFormat.of().formatHex(digest.digest()) : null;
  }

  private static boolean add(MessageDigest digest, String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    return true;
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
