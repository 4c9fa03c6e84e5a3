package io.tokenrouter.config;

import java.util.List;

/**
 * Where the gateway listens and how much it accepts.
 *
 * @param corsOrigins browser origins allowed to call /v1 and /admin (e.g. https://console.example.com);
 *     empty: no cross-origin access. "*" allows every origin, in dev mode only.
 */
public record ServerConfig(String host, Integer port, Long maxBodyBytes, Integer eventLoops, List<String> corsOrigins) {
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
    corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, eventLoops, corsOrigins);
  }

  /** The URL a process on this machine reaches the gateway at (a wildcard host becomes the loopback). */
  public String localUrl() {
    String h = host.isBlank() || "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host) ? "127.0.0.1"
        : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port;
  }
}
