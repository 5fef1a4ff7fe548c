package dev.courier.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Speaks HTTP/1.1 to a test server over a plain socket, byte by byte, for wire-level assertions. */
final class RawConnection implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawConnection open(TestServer server) throws IOException {
    return new RawConnection(new Socket(server.socketAddress().getAddress(), server.port()));
  }

  static RawConnection openTls(TestServer server, SSLSocketFactory factory, String host) throws IOException {
    Socket plain = new Socket(server.socketAddress().getAddress(), server.port());
    SSLSocket tls = (SSLSocket) factory.createSocket(plain, host, server.port(), true);
    tls.startHandshake();
    return new RawConnection(tls);
  }

  Socket socket() {
    return socket;
  }

  RawConnection send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawConnection send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends a GET for {@code path} with a Host header. */
  RawConnection get(String path) throws IOException {
    return send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
  }

  /** Reads up to and including the blank line ending a response head. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("connection closed inside the response head: " + head.toString(StandardCharsets.UTF_8));
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.UTF_8);
  }

  /** Reads exactly {@code count} bytes. */
  byte[] readBytes(int count) throws IOException {
    byte[] result = in.readNBytes(count);
    if (result.length != count) {
      throw new IOException("expected " + count + " bytes but the connection closed after " + result.length);
    }
    return result;
  }

  String readString(int count) throws IOException {
    return new String(readBytes(count), StandardCharsets.UTF_8);
  }

  /** Reads until the server closes the connection. */
  byte[] readUntilClosed() throws IOException {
    return in.readAllBytes();
  }

  /** Reads one response with a Content-Length body. */
  Response readResponse() throws IOException {
    String head = readHead();
    Map<String, String> headers = headers(head);
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = readString(length);
    return new Response(head, headers, body);
  }

  /** Returns whether the server closed the connection, waiting up to the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset also means the server closed it.
      return true;
    }
  }

  /** Returns whether nothing arrives within {@code millis}, the connection staying open. */
  boolean silentFor(int millis) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      in.read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static Map<String, String> headers(String head) {
    Map<String, String> result = new LinkedHashMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        result.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return result;
  }

  record Response(String head, Map<String, String> headers, String body) {
    String statusLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }
  }
}
