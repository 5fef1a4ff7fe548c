package dev.courier.testing.internal;

import dev.courier.testing.FaultPoint;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Serves HTTP/1.1 on one connection of a fault-injection server: reads each request head and body
 * itself, asks {@link FaultExchanges} what to do, and answers or breaks the exchange byte by byte.
 *
 * <p>Runs on the connection's own thread; not thread-safe.
 */
public final class Http1FaultConnection {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final byte[] OK_RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "Content-Type: text/plain\r\n"
      + "Content-Length: 2\r\n"
      + "\r\n"
      + "ok").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATUS_LINE = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FIXED_LENGTH_HEAD = ("HTTP/1.1 200 OK\r\n"
      + "Content-Type: text/plain\r\n"
      + "Content-Length: " + FaultBodies.PROMISED_LENGTH + "\r\n"
      + "\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNKED_HEAD = ("HTTP/1.1 200 OK\r\n"
      + "Content-Type: text/plain\r\n"
      + "Transfer-Encoding: chunked\r\n"
      + "\r\n").getBytes(StandardCharsets.US_ASCII);

  private final FaultSocket socket;
  private final int connection;
  private final FaultExchanges exchanges;
  private InputStream in;
  private OutputStream out;

  /** Creates a handler for {@code socket}, the {@code connection}th the server accepted. */
  public Http1FaultConnection(FaultSocket socket, int connection, FaultExchanges exchanges) {
    this.socket = socket;
    this.connection = connection;
    this.exchanges = exchanges;
  }

  /**
   * Serves requests until the client closes the connection or a fault ends it.
   *
   * @throws IOException if reading or writing fails, or the client sends a malformed request
   */
  public void serve() throws IOException {
    in = new BufferedInputStream(socket.in());
    out = socket.out();
    for (int index = 1; ; index++) {
      String head = readHead();
      if (head == null) {
        return;
      }
      String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ", 3);
      if (requestLine.length != 3) {
        throw new ProtocolException("malformed request line: " + requestLine[0]);
      }
      FaultPoint fault = exchanges.requestArrived(connection, 0, requestLine[0], requestLine[1], index);
      readBody(head);
      if (!respond(fault, wantsClose(head))) {
        return;
      }
    }
  }

  /** Acts on {@code fault}; returns false if the connection ended. */
  private boolean respond(FaultPoint fault, boolean clientAsksClose) throws IOException {
    switch (fault) {
      case STALL:
        // Answer nothing; the next read waits until the client gives up and closes.
        return true;
      case CLOSE_AFTER_REQUEST:
      case RESET_AFTER_REQUEST:
      case STALE_POOLED_CONNECTION:
        break;
      case CLOSE_AFTER_STATUS_LINE:
      case RESET_AFTER_STATUS_LINE:
        write(STATUS_LINE);
        break;
      case CLOSE_AFTER_HEADERS:
      case RESET_AFTER_HEADERS:
        write(FIXED_LENGTH_HEAD);
        break;
      case CLOSE_MID_FIXED_LENGTH_BODY:
      case RESET_MID_FIXED_LENGTH_BODY:
        out.write(FIXED_LENGTH_HEAD);
        write(FaultBodies.HALF_BODY);
        break;
      case CLOSE_MID_CHUNKED_BODY:
      case RESET_MID_CHUNKED_BODY:
        out.write(CHUNKED_HEAD);
        write(FaultBodies.chunkedPrefix());
        break;
      default:
        write(OK_RESPONSE);
        if (clientAsksClose) {
          socket.closeOrderly();
          return false;
        }
        return true;
    }
    socket.end(fault.resets(), fault.sendsPartialResponse());
    return false;
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Returns the request head through its blank line, or null if the client closed first. */
  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        if (head.size() == 0) {
          return null;
        }
        throw new EOFException("client closed inside a request head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD_BYTES) {
        throw new ProtocolException("request head longer than " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private void readBody(String head) throws IOException {
    String transferEncoding = header(head, "transfer-encoding");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      readChunkedBody();
      return;
    }
    String contentLength = header(head, "content-length");
    if (contentLength != null) {
      skip(Long.parseLong(contentLength.trim()));
    }
  }

  private void readChunkedBody() throws IOException {
    while (true) {
      String sizeLine = readLine();
      int extension = sizeLine.indexOf(';');
      long size = Long.parseLong((extension == -1 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // Trailer fields are read and ignored.
        }
        return;
      }
      skip(size);
      if (!readLine().isEmpty()) {
        throw new ProtocolException("chunk of " + size + " bytes not followed by CRLF");
      }
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b == -1) {
        throw new EOFException("client closed inside a chunked request body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
      if (line.length() > MAX_HEAD_BYTES) {
        throw new ProtocolException("chunk line longer than " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return line.toString();
  }

  private void skip(long byteCount) throws IOException {
    byte[] discard = new byte[8192];
    for (long remaining = byteCount; remaining > 0; ) {
      int read = in.read(discard, 0, (int) Math.min(discard.length, remaining));
      if (read == -1) {
        throw new EOFException("client closed with " + remaining + " request body bytes unsent");
      }
      remaining -= read;
    }
  }

  private static boolean wantsClose(String head) {
    String value = header(head, "connection");
    return value != null && value.toLowerCase(Locale.ROOT).contains("close");
  }

  /** Returns the first value of header {@code lowerCaseName} in {@code head}, or null. */
  private static String header(String head, String lowerCaseName) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
