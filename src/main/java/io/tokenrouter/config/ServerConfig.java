package io.tokenrouter.config;

/** Where the gateway listens and how much it accepts. */
public record ServerConfig(String host, Integer port, Long maxBodyBytes, Integer eventLoops) {
  public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 8080 : port;
    maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
    eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes, eventLoops);
  }
}
