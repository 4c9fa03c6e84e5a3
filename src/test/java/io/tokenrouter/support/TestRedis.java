package io.tokenrouter.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The machine's Redis (127.0.0.1:6379). Tests that need it fail when {@code CI} is set and it is
 * not running, and are skipped otherwise.
 */
public final class TestRedis {
  public static final String URL = "redis://127.0.0.1:6379";

  private TestRedis() {}

  public static void require() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 3000);
      up = true;
    } catch (IOException e) {
      up = false;
    }
    if (System.getenv("CI") != null && !up) {
      throw new AssertionError("CI is set but Redis is not reachable at " + URL);
    }
    assumeTrue(up, "Redis is not running at " + URL);
  }
}
