package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.internal.SocketSink;
import dev.courier.internal.SocketSource;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;

/**
 * Opens an HTTP CONNECT tunnel through an HTTP proxy (RFC 9110 section 9.3.6) so that TLS can run
 * end to end with the origin. Answers {@code 407 Proxy Authentication Required} with the address's
 * proxy authenticator.
 */
final class ProxyTunnel {
  /** The most CONNECT requests sent for one tunnel, authentication retries included. */
  static final int MAX_ATTEMPTS = 21;

  static final String USER_AGENT = "courier";

  private static final long MAX_LINE_BYTES = 64 * 1024;
  private static final long MAX_SKIPPED_BODY_BYTES = 1024 * 1024;

  private ProxyTunnel() {}

  /** Returns the first CONNECT request for {@code route}: Host, Proxy-Connection and User-Agent. */
  static Request initialRequest(Route route) {
    HttpUrl url = route.address().url();
    return new Request.Builder()
        .url(url)
        .method("CONNECT", null)
        .header("Host", authority(route.address()))
        .header("Proxy-Connection", "Keep-Alive")
        .header("User-Agent", USER_AGENT)
        .build();
  }

  /** Returns {@code host:port}, with an IPv6 host in brackets. */
  static String authority(Address address) {
    String host = address.host();
    return (host.indexOf(':') != -1 ? "[" + host + "]" : host) + ":" + address.port();
  }

  /** The outcome of one CONNECT attempt. */
  static final class Outcome {
    /** The tunnel is open. */
    static final Outcome OPEN = new Outcome(null, false);

    /** The request to send next, or null if the tunnel is open. */
    final Request nextRequest;
    /** True if the proxy closes this connection, so the next attempt needs a new one. */
    final boolean closeConnection;

    Outcome(Request nextRequest, boolean closeConnection) {
      this.nextRequest = nextRequest;
      this.closeConnection = closeConnection;
    }
  }

  /**
   * Sends {@code request} as a CONNECT over {@code socket} and reads the proxy's answer.
   *
   * @return {@link Outcome#OPEN}, or the authenticated request to send next
   * @throws IOException "Failed to authenticate with proxy" if the authenticator declines a 407,
   *     "Unexpected response code for CONNECT: N" for other codes, or on I/O failure
   */
  static Outcome attempt(Socket socket, Route route, Request request, int readTimeoutMillis,
      int writeTimeoutMillis) throws IOException {
    // Unbuffered-beyond-need streams: TLS takes over the raw socket once the tunnel is open.
    String peer = route.proxy().address() + " (proxy for " + authority(route.address()) + ")";
    BufferedSource source = Okio.buffer(new SocketSource(socket, peer));
    BufferedSink sink = Okio.buffer(new SocketSink(socket, peer));
    source.timeout().timeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
    sink.timeout().timeout(writeTimeoutMillis, TimeUnit.MILLISECONDS);

    sink.writeUtf8("CONNECT ").writeUtf8(authority(route.address())).writeUtf8(" HTTP/1.1\r\n");
    Headers headers = request.headers();
    for (int i = 0; i < headers.size(); i++) {
      sink.writeUtf8(headers.name(i)).writeUtf8(": ").writeUtf8(headers.value(i)).writeUtf8("\r\n");
    }
    sink.writeUtf8("\r\n");
    sink.flush();

    String statusLine = source.readUtf8LineStrict(MAX_LINE_BYTES);
    int code = statusCode(statusLine, route);
    String message = statusLine.length() > 13 ? statusLine.substring(13) : "";
    Headers.Builder responseHeaders = new Headers.Builder();
    for (String line; !(line = source.readUtf8LineStrict(MAX_LINE_BYTES)).isEmpty(); ) {
      try {
        responseHeaders.addLenient(headerName(line, route), headerValue(line));
      } catch (IllegalArgumentException e) {
        // A NUL or bare CR inside the line (RFC 9110 §5.5).
        throw new ProtocolException("Unexpected header from proxy " + route.socketAddress() + ": " + e.getMessage());
      }
    }
    Headers received = responseHeaders.build();

    if (code == 200) {
      if (!source.getBuffer().exhausted()) {
        throw new IOException("Proxy " + route.socketAddress() + " sent bytes after its CONNECT response");
      }
      return Outcome.OPEN;
    }
    if (code != 407) {
      throw new IOException("Unexpected response code for CONNECT: " + code + " from proxy "
          + route.socketAddress() + " tunnelling to " + route.address().host() + ":" + route.address().port());
    }
    boolean close = !skipBody(source, received) || "close".equalsIgnoreCase(received.get("Connection"))
        || "close".equalsIgnoreCase(received.get("Proxy-Connection"));
    Response challenge = new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(code)
        .message(message)
        .headers(received)
        .build();
    Request next = route.address().proxyAuthenticator().authenticate(route, challenge);
    if (next == null) {
      throw new IOException("Failed to authenticate with proxy " + route.socketAddress()
          + " tunnelling to " + route.address().host() + ":" + route.address().port());
    }
    return new Outcome(next, close);
  }

  private static int statusCode(String statusLine, Route route) throws ProtocolException {
    if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")
        || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw new ProtocolException("Unexpected status line from proxy " + route.socketAddress() + ": " + statusLine);
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException("Unexpected status line from proxy " + route.socketAddress() + ": " + statusLine);
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }

  private static String headerName(String line, Route route) throws ProtocolException {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new ProtocolException("Unexpected header from proxy " + route.socketAddress() + ": " + line);
    }
    return line.substring(0, colon).trim();
  }

  private static String headerValue(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }

  /** Skips a Content-Length body; returns false if the body has no length the connection survives. */
  private static boolean skipBody(BufferedSource source, Headers headers) throws IOException {
    if (headers.get("Transfer-Encoding") != null) {
      return false;
    }
    String contentLength = headers.get("Content-Length");
    if (contentLength == null) {
      return false;
    }
    long length;
    try {
      length = Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (length < 0 || length > MAX_SKIPPED_BODY_BYTES) {
      return false;
    }
    source.skip(length);
    return true;
  }
}
