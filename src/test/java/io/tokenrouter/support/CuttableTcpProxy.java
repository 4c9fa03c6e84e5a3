package io.tokenrouter.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free local port in front of a local server, standing in for the network
 * between the gateway and its database or Redis. It fails the way networks do:
 * <ul>
 *   <li>{@link #cut()}: every connection is closed and new ones are turned away (a server that
 *       went down cleanly);
 *   <li>{@link #reset()}: every connection, and each new one, is reset (RST: a crashed host or a
 *       firewall rejecting);
 *   <li>{@link #blackhole()}: connections stay open and new ones are accepted, but no byte gets
 *       through in either direction and nothing is ever closed (a host gone or a partition:
 *       packets dropped without a reset). What was held back flows on after a restore, as TCP
 *       retransmission would deliver it.
 * </ul>
 * {@link #restore()} lets traffic through again. One virtual thread per direction.
 */
public final class CuttableTcpProxy implements AutoCloseable {
  private enum Mode { PASS, CUT, RESET, BLACKHOLE }

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object flow = new Object();
  private volatile Mode mode = Mode.PASS;

  public CuttableTcpProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new AssertionError("cannot open a proxy port: " + e, e);
    }
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Closes every proxied connection; new ones are accepted and closed at once until restored. */
  public void cut() {
    setMode(Mode.CUT);
    sockets.forEach(CuttableTcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Resets every proxied connection; new ones are accepted and reset at once until restored. */
  public void reset() {
    setMode(Mode.RESET);
    sockets.forEach(CuttableTcpProxy::resetQuietly);
    sockets.clear();
  }

  /** Holds every byte in both directions and closes nothing, until restored. */
  public void blackhole() {
    setMode(Mode.BLACKHOLE);
  }

  public void restore() {
    setMode(Mode.PASS);
  }

  private void setMode(Mode next) {
    synchronized (flow) {
      mode = next;
      flow.notifyAll();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      switch (mode) {
        case CUT -> closeQuietly(client);
        case RESET -> resetQuietly(client);
        default -> connect(client);
      }
    }
  }

  private void connect(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      sockets.add(client);
      sockets.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream));
      Thread.ofVirtual().start(() -> pump(upstream, client));
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!awaitFlowing()) {
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: the finally below takes the other side down too
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  /** Waits out a blackhole; false when the proxy was closed meanwhile. */
  private boolean awaitFlowing() {
    synchronized (flow) {
      while (mode == Mode.BLACKHOLE && !server.isClosed()) {
        try {
          flow.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !server.isClosed();
  }

  private static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // already closed: nothing left to reset
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is all that was wanted
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
    cut();
  }
}
