package io.tokenrouter.config;

import java.time.Duration;
import java.util.List;

/**
 * Where the gateway listens, how much it accepts, and how long it waits on a client.
 *
 * @param headerTimeout longest a request's line and headers may take to arrive, from its first byte
 * @param bodyTimeout longest pause while a request body arrives
 * @param idleTimeout longest a kept-alive connection may wait for its next request
 * @param corsOrigins browser origins allowed to call /v1 and /admin (e.g. https://console.example.com);
 *     empty: no cross-origin access. "*" allows every origin, in dev mode only.
 */
public record ServerConfig(String host, Integer port, Long maxBodyBytes, Integer eventLoops,
    Integer maxRequestLineBytes, Integer maxHeaderBytes, Duration headerTimeout, Duration bodyTimeout,
    Duration idleTimeout, List<String> corsOrigins) {
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
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, eventLoops, maxRequestLineBytes, maxHeaderBytes,
        headerTimeout, bodyTimeout, idleTimeout, corsOrigins);
  }

  /** The URL a process on this machine reaches the gateway at (a wildcard host becomes the loopback). */
  public String localUrl() {
    String h = host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host) ? "127.0.0.1"
        : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port;
  }
}
