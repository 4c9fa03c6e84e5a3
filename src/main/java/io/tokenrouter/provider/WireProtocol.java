package io.tokenrouter.provider;

import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A provider family's HTTP wire format: how one attempt is written, how its answer is read, how
 * its error statuses are understood. The transport around it is the same for every family
 * ({@link HttpProvider}).
 */
public interface WireProtocol {
  /** The HTTP request of one attempt. */
  HttpRequestSpec write(UpstreamRequest request);

  /** A decoder for the answer to that attempt. */
  ReplyDecoder decoder(UpstreamRequest request);

  /** What the client is told when the provider answers {@code status} (not 2xx). */
  default GatewayError error(String provider, int status, MultiMap headers, Buffer body) {
    return UpstreamStatus.toError(provider, status, headers, body);
  }

  /**
   * The headers that carry {@code apiKey}, one of the gateway's keys for this provider, in its
   * family's convention; a request relayed as it is (a custom route) gets them in place of the
   * client's key.
   */
  default MultiMap credentials(String apiKey) {
    return MultiMap.caseInsensitiveMultiMap();
  }

  default boolean supports(Operation operation) {
    return operation == Operation.GENERATE;
  }

  /**
   * The request that lists the provider's models (a GET, answered with OpenAI's and Anthropic's
   * {@code {"data":[{"id":...}]}}), or null when the family has none.
   */
  default HttpRequestSpec listModels(String apiKey) {
    return null;
  }

  /**
   * One HTTP request to a provider.
   *
   * @param path appended to the provider's base URL
   * @param headers the request's own headers, added to the provider's configured ones
   * @param body null for a request without one (a GET)
   */
  record HttpRequestSpec(String path, MultiMap headers, Buffer body) {}
}
