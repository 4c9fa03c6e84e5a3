package io.tokenrouter.api.responses;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.api.ResourceRoutes;
import io.tokenrouter.api.openai.BearerToken;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.call.Call;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * OpenAI's Responses API: {@code POST /v1/responses} (streamed or not) in front of any provider,
 * and {@code GET} / {@code DELETE /v1/responses/{id}} for the responses the gateway kept.
 */
public final class ResponsesApi implements InboundAdapter, ResourceRoutes {
  private static final String PATH = "/v1/responses";
  private final ResponseArchive archive;

  public ResponsesApi(ResponseArchive archive) {
    this.archive = archive;
  }

  @Override
  public List<String> paths() {
    return List.of(PATH);
  }

  @Override
  public String credential(MultiMap headers) {
    return BearerToken.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    return ResponsesRequestReader.read(body, credential(headers));
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new ResponsesReply(call, response, archive);
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return OpenAiErrors.render(error);
  }

  @Override
  public void mount(Router router, String prefix, Handler<RoutingContext> keyAuth,
      Function<RoutingContext, Identity> identity) {
    router.get(prefix + PATH + "/:id").handler(keyAuth).handler(ctx -> {
      String id = ctx.pathParam("id");
      archive.find(id, identity.apply(ctx).keyId()).onComplete(ar -> {
        if (ar.failed()) {
          error(ctx, ar.cause());
        } else if (ar.result().isEmpty()) {
          error(ctx, notFound(id));
        } else {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result().get().response());
        }
      });
    });
    router.delete(prefix + PATH + "/:id").handler(keyAuth).handler(ctx -> {
      String id = ctx.pathParam("id");
      archive.delete(id, identity.apply(ctx).keyId()).onComplete(ar -> {
        if (ar.failed()) {
          error(ctx, ar.cause());
        } else if (!ar.result()) {
          error(ctx, notFound(id));
        } else {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(Json.MAPPER.createObjectNode().put("id", id).put("object", "response").put("deleted", true)
                  .toString());
        }
      });
    });
  }

  private static GatewayError notFound(String id) {
    return GatewayError.builder(GatewayError.Kind.NOT_FOUND, 404, "not_found",
        "No response found with id '" + id + "'.").build();
  }

  private static void error(RoutingContext ctx, Throwable cause) {
    GatewayError e = cause instanceof GatewayError g ? g
        : GatewayError.of(GatewayError.Kind.INTERNAL, 500, "internal_error", "The gateway failed to handle this request.");
    ErrorReply reply = OpenAiErrors.render(e);
    if (e.retryAfter() != null) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, e.retryAfter());
    }
    ctx.response().setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(reply.body());
  }
}
