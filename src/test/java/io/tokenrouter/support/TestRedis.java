package io.tokenrouter.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The machine's Redis (127.0.0.1:6379). Tests that need it fail when {@code CI} is set and it is
 * not running, and are skipped otherwise.
 */
public final class TestRedis {
  public static final String URL = "redis://127.0.0.1:6379";

  private TestRedis() {}

  /**
   * Sends one command to the machine's Redis directly (not through a test's proxy) and returns
   * the first line of the reply: {@code :3} for an integer, {@code +OK} for a status.
   */
  public static String call(String... args) {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      command.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 3000);
      s.setSoTimeout(3000);
      s.getOutputStream().write(command.toString().getBytes(StandardCharsets.UTF_8));
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new AssertionError("Redis command " + args[0] + " failed: " + e, e);
    }
  }

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
