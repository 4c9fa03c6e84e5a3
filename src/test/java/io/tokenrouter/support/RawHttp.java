package io.tokenrouter.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client on a plain socket, for what no HTTP library will send: malformed request lines and
 * headers, broken chunked bodies, requests sent a byte at a time or never finished. Reads are
 * bounded by the timeout given to each call.
 */
public final class RawHttp implements AutoCloseable {
  /** One response as it came off the wire; {@code headers} keys are lower case. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  public static RawHttp connect(int port) {
    try {
      return new RawHttp(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Sends without failing when the server has already closed the connection (it may, on garbage). */
  public RawHttp sendQuietly(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      // the server's answer (or its close) is what the caller reads next
    }
    return this;
  }

  /**
   * Reads one response: head, then its body (by Content-Length, chunked, or until the server
   * closes); without a body after a HEAD request.
   */
  public Response read(Duration timeout) {
    return read(timeout, true);
  }

  /** Reads the response to a HEAD request: a head only, whatever its Content-Length says. */
  public Response readHeadOnly(Duration timeout) {
    return read(timeout, false);
  }

  private Response read(Duration timeout, boolean withBody) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      String head = readHead();
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      String length = headers.get("content-length");
      byte[] body;
      if (!withBody) {
        body = new byte[0];
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = readChunks();
      } else {
        body = length != null ? in.readNBytes(Integer.parseInt(length)) : readToEnd();
      }
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the server closes the connection within {@code timeout} (whatever it sends first). */
  public boolean closedWithin(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      readToEnd();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a response head; got: " + head);
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1).strip();
  }

  private byte[] readChunks() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers: none expected, skipped
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do about it
    }
  }
}
