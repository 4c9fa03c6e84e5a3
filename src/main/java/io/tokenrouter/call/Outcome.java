package io.tokenrouter.call;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Usage;

/**
 * How a call ended.
 *
 * @param status the HTTP status the client got (499 when it went away first)
 * @param error why it failed, or null
 * @param reported the provider's own last usage report, or null when it sent none
 * @param outputEvents generated-output events relayed (a stream cut short is estimated from these)
 * @param outputChars characters of generated text seen, where they were read
 * @param elapsedNanos from the request's arrival to its end
 * @param firstOutputNanos from arrival to the first generated output, or -1
 */
public record Outcome(int status, GatewayError error, Usage reported, int outputEvents, long outputChars,
    long elapsedNanos, long firstOutputNanos) {
  /** Recorded as the status of a call whose client disconnected (nginx's convention). */
  public static final int CLIENT_CLOSED = 499;
}
