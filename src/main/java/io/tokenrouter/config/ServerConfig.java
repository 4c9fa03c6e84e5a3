package io.tokenrouter.config;

import java.time.Duration;

/**
 * Where the gateway listens, how much it accepts, and how long it waits on a client.
 *
 * @param headerTimeout longest a request's line and headers may take to arrive, from its first byte
 * @param bodyTimeout longest pause while a request body arrives
 * @param idleTimeout longest a kept-alive connection may wait for its next request
 */
public record ServerConfig(String host, Integer port, Long maxBodyBytes, Integer eventLoops,
    Integer maxRequestLineBytes, Integer maxHeaderBytes, Duration headerTimeout, Duration bodyTimeout,
    Duration idleTimeout) {
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
    maxRequestLineBytes = maxRequestLineBytes == null ? 4096 : maxRequestLineBytes;
    maxHeaderBytes = maxHeaderBytes == null ? 16 * 1024 : maxHeaderBytes;
    headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
    bodyTimeout = bodyTimeout == null ? Duration.ofSeconds(30) : bodyTimeout;
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, eventLoops, maxRequestLineBytes, maxHeaderBytes,
        headerTimeout, bodyTimeout, idleTimeout);
  }
}
