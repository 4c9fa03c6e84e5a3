package io.tokenrouter.config;

import java.time.Duration;

/**
 * The Responses API's kept responses ({@code previous_response_id}, {@code GET /v1/responses/{id}}).
 *
 * @param retention how long a response is kept; older ones are not found and are purged hourly
 */
public record ResponsesConfig(Duration retention) {
  public ResponsesConfig {
    retention = retention == null ? Duration.ofDays(30) : retention;
  }
}
