package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.support.CapturedLogs;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.RawHttp;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile requests, from a fixed seed, against a running gateway:
 * mutated request lines, headers, percent-encodings, chunked framing and bodies (invalid JSON,
 * deep nesting, huge numbers, invalid UTF-8, NULs, wrong types for every field, huge strings).
 * The gateway must never answer 5xx itself (the upstream always succeeds), every error must be
 * OpenAI's error object, nothing may be logged at ERROR, client garbage must be logged at most
 * once per kind per interval, and the gateway must be healthy afterwards.
 *
 * <p>{@code -Dtokenrouter.fuzz.seed=N} replays another seed; a failure names the requests.
 */
class EdgeFuzzTest {
  private static final long SEED = Long.getLong("tokenrouter.fuzz.seed", 20261130L);
  private static final int REQUESTS = 3000;
  private static final int WORKERS = 6;
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(6);
  private static final int KINDS_OF_CLIENT_FAULT = ClientFaults.Kind.values().length;
  private static final String[] HOSTILE_VALUES = {"null", "true", "false", "0", "-1", "1.5", "1e308", "-0",
      "123456789012345678901234567890", "\"\"", "\" \"", "\"x\"", "[]", "{}", "[null]", "[1,2]", "{\"a\":{}}",
      "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\\ud800\"", "\"a\\nb\"", "\"\\u202e\"", "[[[[[]]]]]", "\"" + "m".repeat(300) + "\""};
  private static final String[] FIELDS = {"model", "messages", "messages.0", "messages.0.role", "messages.0.content",
      "messages.0.content.0", "messages.0.content.0.text", "messages.0.content.0.type", "messages.0.tool_calls",
      "messages.0.tool_calls.0", "messages.0.tool_calls.0.function", "messages.0.tool_calls.0.function.name",
      "messages.0.tool_calls.0.function.arguments", "messages.0.tool_call_id", "messages.0.name", "stream",
      "stream_options", "stream_options.include_usage", "max_tokens", "max_completion_tokens", "temperature", "top_p",
      "n", "stop", "tools", "tools.0", "tools.0.type", "tools.0.function", "tools.0.function.name",
      "tools.0.function.parameters", "tool_choice", "user", "metadata", "metadata.user_id", "response_format",
      "logit_bias", "seed", "prompt_cache_key"};
  private static final byte[][] BAD_UTF8 = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xC3, (byte) 0x28}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
  private static final String[] PATHS = {"/v1/chat/completions", "/api/v1/chat/completions", "/v1/models", "/health",
      "/health/ready", "/metrics", "/admin/api-keys/1", "/", "", "*", "/v1/%zz", "/v1/%", "/v1/%4", "/v1/%C0%80",
      "/v1/%00", "/v1/%FF%FE", "/v1/../../etc/passwd", "/v1/chat/completions%00", "/v1/chat/completions?x=%zz",
      "/v1//chat//completions", "http://gw/v1/models", "/v1/\u00e9", "/v1/%E2%80%AE", "/v1/models?" + "q".repeat(900)};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE",
      "CONNECT", "get", "P\u00d6ST", "POST POST", "", "G\u0000T", "BREW"};
  private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.x", "HTTP/0.9", "HTTPS/1.1",
      "http/1.1", "", "HTTP/1.1 extra", "HTTP/11"};

  private FakeOpenAiServer upstream;
  private CapturedLogs logs;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    upstream.reply((request, response) -> {
      if (Boolean.TRUE.equals(request.getValue("stream"))) {
        FakeOpenAiServer.streamWords(request, response, "fuzzed fine", 0);
      } else {
        response.putHeader("content-type", "application/json")
            .end(FakeOpenAiServer.completion("gpt-4o-mini", "fuzzed fine").encode());
      }
    });
    logs = CapturedLogs.capture();
    gateway = TestGateway.start("""
        server: { max_body_bytes: 1048576, max_request_line_bytes: 1024, max_header_bytes: 4096,
                  header_timeout: 300ms, body_timeout: 300ms, idle_timeout: 600ms }
        providers:
          - { name: up, type: openai, base_url: %s, api_key: sk-up, timeouts: { first_byte: 5s, idle: 5s } }
        models: [ { name: gpt-4o-mini, targets: [ { provider: up, model: gpt-4o-mini } ] } ]
        """.formatted(upstream.baseUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    logs.close();
  }

  @Test
  void hostileTrafficGetsOnlyClientErrorsInOpenAiShapeAndLeavesTheGatewayHealthy() throws Exception {
    Random seeds = new Random(SEED);
    List<byte[]> requests = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(hostileRequest(new Random(seeds.nextLong())));
    }
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    for (int w = 0; w < WORKERS; w++) {
      workers.execute(() -> {
        for (int i = next.getAndIncrement(); i < REQUESTS && problems.size() < 20; i = next.getAndIncrement()) {
          String problem = exchange(requests.get(i), answered);
          if (problem != null) {
            problems.add(problem + " <- " + printable(requests.get(i)));
          }
        }
      });
    }
    workers.shutdown();
    assertThat(workers.awaitTermination(90, TimeUnit.SECONDS)).as("fuzz run finished in time").isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(problems).as("seed %d", SEED).isEmpty();
    // A server that closes after answering while the client still sends may see the client's stack
    // reset the connection before the answer is read; all but a few must be read.
    assertThat(answered.get()).as("requests answered with a response").isGreaterThan(REQUESTS * 9 / 10);
    assertThat(logs.lines(Level.ERROR)).isEmpty();
    long intervals = took.toSeconds() / 10 + 1;
    assertThat(logs.at(Level.WARN)).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(logs.at(Level.WARN).stream().filter(e -> e.getLoggerName().equals(ClientFaults.class.getName())))
        .hasSizeLessThanOrEqualTo((int) (KINDS_OF_CLIENT_FAULT * intervals));
    assertThat(gateway.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}").body())
        .contains("fuzzed fine");
  }

  /** Sends one request on a fresh connection; a description of what is wrong with the answer, or null. */
  private String exchange(byte[] request, AtomicInteger answered) {
    boolean head = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).matches("HEAD\\s");
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      raw.sendQuietly(request);
      RawHttp.Response r;
      try {
        r = head ? raw.readHeadOnly(ANSWER_WITHIN) : raw.read(ANSWER_WITHIN);
      } catch (UncheckedIOException e) {
        // A connection the server closed without answering is allowed (a reset while it still
        // received garbage after its answer); one it left hanging is not.
        return e.getCause() instanceof SocketTimeoutException ? "no answer within " + ANSWER_WITHIN : null;
      }
      answered.incrementAndGet();
      return problem(r, head);
    }
  }

  private static String problem(RawHttp.Response r, boolean head) {
    if (r.status() >= 500) {
      return "status " + r.status() + " " + r.body();
    }
    if (r.status() < 400 || head) {
      return null;
    }
    if (!"application/json".equals(r.headers().get("content-type"))) {
      return "error " + r.status() + " with content-type " + r.headers().get("content-type") + ": " + r.body();
    }
    JsonObject error;
    try {
      error = new JsonObject(r.body()).getJsonObject("error");
    } catch (RuntimeException e) {
      return "error " + r.status() + " body is not OpenAI's error object: " + r.body();
    }
    if (error == null || !error.fieldNames().equals(java.util.Set.of("message", "type", "param", "code"))
        || error.getString("message", "").isBlank()) {
      return "error " + r.status() + " body is not OpenAI's error object: " + r.body();
    }
    String message = error.getString("message");
    for (String internal : new String[] {"Exception", "jackson", "Jackson", "io.netty", "io.vertx", "java.",
        "StreamRead", "Feature"}) {
      if (message.contains(internal)) {
        return "error message names internals: " + message;
      }
    }
    return null;
  }

  private byte[] hostileRequest(Random r) {
    int dice = r.nextInt(100);
    if (dice < 45) {
      return chatRequest(r, hostileBody(r), false);
    }
    if (dice < 55) {
      return chatRequest(r, hostileBody(r), true);
    }
    if (dice < 72) {
      return requestLine(r);
    }
    if (dice < 90) {
      return hostileHeaders(r);
    }
    if (dice < 95) {
      return randomBytes(r, 1 + r.nextInt(600));
    }
    return wellFormedGet(r);
  }

  private byte[] chatRequest(Random r, byte[] body, boolean chunked) {
    StringBuilder head = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ")
        .append(key).append("\r\nContent-Type: application/json\r\n");
    if (!chunked) {
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }
    head.append("Transfer-Encoding: chunked\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    boolean breakFraming = r.nextInt(3) == 0;
    int at = 0;
    while (at < body.length) {
      int size = Math.min(body.length - at, 1 + r.nextInt(64));
      String sizeLine = Integer.toHexString(size);
      if (breakFraming && r.nextInt(4) == 0) {
        sizeLine = pick(r, new String[] {"zz", "-1", "ffffffffffffffff", "", "1 ; ext=\"", " ", "0x10", "\u00ff"});
      } else if (r.nextInt(10) == 0) {
        sizeLine += ";name=value";
      }
      out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, size);
      out.writeBytes((breakFraming && r.nextInt(6) == 0 ? "XX" : "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      at += size;
    }
    out.writeBytes((r.nextInt(8) == 0 ? "0\r\nTrailer-Field: x\r\n\r\n" : "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] hostileBody(Random r) {
    ObjectNode valid = validBody(r);
    byte[] bytes = valid.toString().getBytes(StandardCharsets.UTF_8);
    return switch (r.nextInt(12)) {
      case 0 -> bytes;
      case 1, 2, 3 -> wrongType(r, valid);
      case 4 -> java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
      case 5 -> flipBytes(r, bytes);
      case 6 -> nested(r, valid);
      case 7 -> withNumber(r, valid);
      case 8 -> withBadUtf8(r, bytes);
      case 9 -> withNul(r, bytes);
      case 10 -> withHugeString(r, valid);
      default -> randomBytes(r, r.nextInt(300));
    };
  }

  private static ObjectNode validBody(Random r) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", "gpt-4o-mini");
    ObjectNode message = body.putArray("messages").addObject().put("role", "user");
    if (r.nextBoolean()) {
      message.put("content", "hello \u00e9\u4e16\ud83d\ude00 \u2028 \u202e");
    } else {
      message.putArray("content").addObject().put("type", "text").put("text", "hello");
    }
    if (r.nextBoolean()) {
      body.put("stream", true);
    }
    if (r.nextBoolean()) {
      body.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "f")
          .putObject("parameters").put("type", "object");
    }
    return body;
  }

  private static byte[] wrongType(Random r, ObjectNode body) {
    String[] path = pick(r, FIELDS).split("\\.");
    JsonNode value = json(pick(r, HOSTILE_VALUES));
    JsonNode at = body;
    for (int i = 0; i < path.length - 1; i++) {
      JsonNode child = at.isArray() ? at.get(Integer.parseInt(path[i])) : at.get(path[i]);
      if (child == null || child.isValueNode()) {
        boolean arrayNext = path[i + 1].chars().allMatch(Character::isDigit);
        child = arrayNext ? Json.MAPPER.createArrayNode() : Json.MAPPER.createObjectNode();
        if (arrayNext) {
          ((ArrayNode) child).addObject();
        }
        if (at instanceof ObjectNode o) {
          o.set(path[i], child);
        } else {
          ((ArrayNode) at).set(Integer.parseInt(path[i]), child);
        }
      }
      at = child;
    }
    String last = path[path.length - 1];
    if (at instanceof ObjectNode o) {
      o.set(last, value);
    } else if (at instanceof ArrayNode a && !a.isEmpty()) {
      a.set(0, value);
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] flipBytes(Random r, byte[] bytes) {
    byte[] out = bytes.clone();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  private static byte[] nested(Random r, ObjectNode body) {
    int depth = pick(r, new Integer[] {10, 500, 999, 1001, 5000, 20000});
    String open = r.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String text = body.toString();
    return (text.substring(0, text.length() - 1) + ",\"deep\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withNumber(Random r, ObjectNode body) {
    String number = pick(r, new String[] {"1e999", "-1e999", "9".repeat(1500), "1e-999", "1e308", "2147483648",
        "-9223372036854775809", "0.0000000000000000000001", "1E+2147483647", "-0.0"});
    String field = pick(r, new String[] {"max_tokens", "max_completion_tokens", "temperature", "n", "seed", "x_custom"});
    String text = body.toString();
    return (text.substring(0, text.length() - 1) + ",\"" + field + "\":" + number + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withBadUtf8(Random r, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf(r.nextBoolean() ? "gpt-4o-mini" : "hello");
    byte[] prefix = text.substring(0, at < 0 ? 1 : at).getBytes(StandardCharsets.UTF_8);
    byte[] suffix = text.substring(at < 0 ? 1 : at).getBytes(StandardCharsets.UTF_8);
    return concat(concat(prefix, pick(r, BAD_UTF8)), suffix);
  }

  private static byte[] withNul(Random r, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String nul = r.nextBoolean() ? "\u0000" : "\\u0000";
    String target = pick(r, new String[] {"gpt-4o-mini", "user", "hello", "model", "messages"});
    return text.replaceFirst(target, java.util.regex.Matcher.quoteReplacement(target + nul))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withHugeString(Random r, ObjectNode body) {
    int size = pick(r, new Integer[] {5_000, 200_000, 1_100_000});
    String huge = "w".repeat(size);
    switch (r.nextInt(3)) {
      case 0 -> body.put("model", huge);
      case 1 -> ((ObjectNode) body.get("messages").get(0)).put("content", huge);
      default -> body.put("user", huge);
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] requestLine(Random r) {
    String method = pick(r, METHODS);
    String path = pick(r, PATHS);
    if (r.nextInt(10) == 0) {
      path = "/" + "p".repeat(1000 + r.nextInt(200));
    }
    String version = pick(r, VERSIONS);
    String separator = pick(r, new String[] {" ", " ", " ", "  ", "\t"});
    String end = pick(r, new String[] {"\r\n", "\r\n", "\n", "\r"});
    String line = method + separator + path + separator + version + end;
    String headers = r.nextInt(5) == 0 ? "" : "Host: gw" + end;
    return (line + headers + end).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] hostileHeaders(Random r) {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    List<String> headers = new ArrayList<>(List.of("Host: gw", "Authorization: Bearer " + key,
        "Content-Type: application/json", "Content-Length: " + body.length()));
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      switch (r.nextInt(16)) {
        case 0 -> headers.removeIf(h -> h.startsWith("Host"));
        case 1 -> headers.add("Content-Length: " + (body.length() + 5));
        case 2 -> headers.replaceAll(h -> h.startsWith("Content-Length") ? "Content-Length: " + pick(r,
            new String[] {"-1", "abc", "99999999999999999999", "1e3", " " + body.length(), "0x10", ""}) : h);
        case 3 -> headers.add("Transfer-Encoding: " + pick(r, new String[] {"chunked", "gzip", "chunked, gzip", "x"}));
        case 4 -> headers.add(pick(r, new String[] {"Bad Name: x", "Na\u0000me: x", ": empty", "X-A:\u0000", "NoColon",
            " Leading: space", "X-\u00e9: y", "X-Fold: a\r\n continued"}));
        case 5 -> headers.add("X-Big: " + "b".repeat(4000 + r.nextInt(2000)));
        case 6 -> {
          for (int k = 0; k < 200; k++) {
            headers.add("X-Many-" + k + ": v");
          }
        }
        case 7 -> headers.replaceAll(h -> h.startsWith("Authorization") ? pick(r, new String[] {"Authorization: Bearer",
            "Authorization: Bearer tr-nope", "Authorization: Basic Zm9vOmJhcg==", "Authorization: Bearer \u00ff\u00fe",
            "Authorization: bearer " + key, "X-Api-Key: " + key}) : h);
        case 8 -> headers.replaceAll(h -> h.startsWith("Content-Type") ? "Content-Type: " + pick(r, new String[] {
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "multipart/form-data",
            "text/plain", "application/json; charset=utf-16", ""}) : h);
        case 9 -> headers.add("Expect: " + pick(r, new String[] {"100-continue", "200-ok", ""}));
        case 10 -> headers.add("X-Request-Id: " + pick(r, new String[] {"\u00ff\u00fe", "a".repeat(500), "ok-1",
            "<script>"}));
        case 11 -> headers.add("Connection: " + pick(r, new String[] {"close", "upgrade", "keep-alive, Upgrade"}));
        case 12 -> headers.add("Upgrade: " + pick(r, new String[] {"h2c", "websocket", "TLS/1.2"}));
        case 13 -> headers.add("Host: second");
        case 14 -> headers.add("Content-Encoding: " + pick(r, new String[] {"gzip", "br", "deflate"}));
        default -> headers.add("Accept: " + pick(r, new String[] {"*/*", "text/event-stream", "\u00ff"}));
      }
    }
    String head = "POST /v1/chat/completions HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] wellFormedGet(Random r) {
    String path = pick(r, new String[] {"/health", "/v1/models", "/api/v1/models", "/metrics", "/health/ready"});
    String auth = r.nextBoolean() ? "Authorization: Bearer " + key + "\r\n" : "";
    return ("GET " + path + " HTTP/1.1\r\nHost: gw\r\n" + auth + "Connection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] randomBytes(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static <T> T pick(Random r, T[] choices) {
    return choices[r.nextInt(choices.length)];
  }

  private static String printable(byte[] request) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(request.length, 300); i++) {
      int b = request[i] & 0xff;
      sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return sb + (request.length > 300 ? "... (" + request.length + " bytes)" : "");
  }
}
