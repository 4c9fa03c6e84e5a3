package io.tokenrouter.api.relay;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.api.openai.BearerToken;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.call.Call;
import io.tokenrouter.config.RouteConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.PassThrough;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One custom route (seed 003): requests under its path prefix are relayed as they are to its
 * provider, under the same keys, allowlists (the route's name stands for the model), limits and
 * usage records as the model APIs, metered per request and by bytes. The client's key is not
 * forwarded; the provider's credential is put in its place. The body is not read by the gateway:
 * it streams to the provider as it arrives, with its length when the client gave one.
 */
public final class RelayApi implements InboundAdapter {
  /** Headers never forwarded: the client's credentials, and what describes its own connection. */
  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "x-api-key", "api-key", "x-goog-api-key",
      "cookie", "host", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
      "accept-encoding", "proxy-authorization", "x-request-id", "forwarded", "x-forwarded-for");
  private static final String ALIAS_PREFIX = "/api";
  private final RouteConfig route;

  public RelayApi(RouteConfig route) {
    this.route = route;
  }

  @Override
  public List<String> paths() {
    return List.of(route.path(), route.path() + "/*");
  }

  @Override
  public boolean streamsBody() {
    return true;
  }

  @Override
  public List<HttpMethod> methods() {
    return List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
  }

  @Override
  public String credential(MultiMap headers) {
    String key = headers.get("x-api-key");
    return key != null && !key.isBlank() ? key.strip() : BearerToken.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    throw new IllegalStateException("a relayed request is read with its request line");
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers, HttpMethod method, String uri) {
    String path = uri.startsWith(ALIAS_PREFIX + route.path()) ? uri.substring(ALIAS_PREFIX.length()) : uri;
    Map<String, String> forwarded = new LinkedHashMap<>();
    forwarded.put(PassThrough.METHOD, method.name());
    forwarded.put(PassThrough.PATH, route.upstreamPath() + path.substring(route.path().length()));
    forwarded.put(PassThrough.KIND, route.kind());
    if (route.credentialHeader() != null) {
      forwarded.put(PassThrough.CREDENTIAL_HEADER, route.credentialHeader());
    }
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(lower) && !lower.equalsIgnoreCase(route.credentialHeader())) {
        forwarded.merge(lower, value, (a, b) -> a + ", " + b);
      }
    });
    return new Envelope(Dialect.PASS_THROUGH, Operation.RELAY, route.name(), null, List.of(), null, null, null,
        RouteConfig.SSE.equals(route.kind()), null, null, null, forwarded, body);
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new RelayReply(call, response, RouteConfig.SSE.equals(route.kind()));
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return OpenAiErrors.render(error);
  }
}
