package io.tokenrouter.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Fields;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Continues a kept conversation: a Responses request with {@code previous_response_id} gets the
 * conversation that response ended (its input and output items) put before its own input, and
 * goes on without the id, so any provider can serve it (the id is the gateway's, not the
 * provider's). Only the key that made a response can continue it.
 */
public final class ResponsesHistory implements CallInterceptor {
  /** The {@code previous_response_id} the call continued, echoed in its response. */
  static final Attachment<String> PREVIOUS = Attachment.named("previous response");
  private final ResponseArchive archive;

  public ResponsesHistory(ResponseArchive archive) {
    this.archive = archive;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Envelope request = call.envelope();
    JsonNode previous = request.params().get(ResponsesRequestReader.PREVIOUS_RESPONSE_ID);
    if (request.dialect() != Dialect.OPENAI_RESPONSES || previous == null || !previous.isTextual()) {
      return chain.proceed(call);
    }
    String id = previous.asText();
    return archive.find(id, call.identity().keyId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(GatewayError.builder(GatewayError.Kind.NOT_FOUND, 404, "previous_response_not_found",
            "Previous response with id '" + id + "' not found.").param(ResponsesRequestReader.PREVIOUS_RESPONSE_ID)
            .build());
      }
      List<Message> before;
      try {
        before = ResponsesRequestReader.items(Json.MAPPER.readTree(found.get().items()), "previous_response");
      } catch (IOException | InvalidRequestException e) {
        return Future.failedFuture(GatewayError.of(GatewayError.Kind.INTERNAL, 500, "stored_response_unreadable",
            "The stored conversation of response '" + id + "' cannot be read."));
      }
      List<Message> messages = new ArrayList<>(before);
      messages.addAll(request.messages());
      call.put(PREVIOUS, id);
      call.envelope(request.toBuilder().messages(messages)
          .params(Fields.without(request.params(), ResponsesRequestReader.PREVIOUS_RESPONSE_ID)).build());
      return chain.proceed(call);
    });
  }
}
