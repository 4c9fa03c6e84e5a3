package io.tokenrouter.provider;

import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request line of a relayed request (a custom route), carried in its envelope's headers as
 * HTTP/2-style pseudo-headers, and the head of the provider's answer as the client gets it.
 */
public final class PassThrough {
  public static final String METHOD = ":method";
  /** The path and query on the provider, after its base URL. */
  public static final String PATH = ":path";
  /** How the answer flows back: {@code json}, {@code sse} or {@code binary}. */
  public static final String KIND = ":kind";
  /** The header that carries the provider's key, when not its type's own. */
  public static final String CREDENTIAL_HEADER = ":credential-header";
  public static final String JSON = "json";
  /** Hop-by-hop and transport headers, which describe one connection, not the answer. */
  private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authenticate", "proxy-connection", "content-length", "content-encoding",
      "set-cookie", "server", "date");

  private PassThrough() {}

  static ReplyEvent.Head head(UpstreamExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.headers().forEach((name, value) -> {
      if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
        headers.merge(name, value, (a, b) -> a + ", " + b);
      }
    });
    return new ReplyEvent.Head(exchange.status(), headers);
  }

  static boolean isJson(Buffer body) {
    try (var parser = Json.MAPPER.createParser(body.getBytes())) {
      while (parser.nextToken() != null) {
        parser.skipChildren();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
