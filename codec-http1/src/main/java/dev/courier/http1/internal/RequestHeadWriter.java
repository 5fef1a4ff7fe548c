package dev.courier.http1.internal;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Request;
import okio.Buffer;

/**
 * Encodes an HTTP/1.1 request line and header fields (RFC 9112 §3 and §5) straight into a
 * connection's write buffer.
 */
public final class RequestHeadWriter {
  private RequestHeadWriter() {}

  /**
   * Writes {@code request}'s request line and header section, ending with the empty line.
   *
   * @param absoluteForm true to send the whole URL as the target, as a plain-text HTTP proxy
   *     expects; false to send the path and query (origin form)
   */
  public static void write(Buffer buffer, Request request, boolean absoluteForm) {
    buffer.writeUtf8(request.method()).writeByte(' ');
    HttpUrl url = request.url();
    if (absoluteForm) {
      writeOrigin(buffer, url);
    }
    buffer.writeUtf8(url.encodedPath());
    String query = url.encodedQuery();
    if (query != null) {
      buffer.writeByte('?').writeUtf8(query);
    }
    buffer.writeUtf8(" HTTP/1.1\r\n");
    Headers headers = request.headers();
    for (int i = 0, size = headers.size(); i < size; i++) {
      buffer.writeUtf8(headers.name(i)).writeByte(':').writeByte(' ')
          .writeUtf8(headers.value(i)).writeByte('\r').writeByte('\n');
    }
    buffer.writeByte('\r').writeByte('\n');
  }

  /**
   * Writes {@code scheme://host[:port]}. User info is never sent in a target, nor is the fragment
   * (RFC 9110 §4.2.4).
   */
  private static void writeOrigin(Buffer buffer, HttpUrl url) {
    String scheme = url.scheme();
    buffer.writeUtf8(scheme).writeUtf8("://");
    String host = url.host();
    if (host.indexOf(':') != -1) {
      buffer.writeByte('[').writeUtf8(host).writeByte(']');
    } else {
      buffer.writeUtf8(host);
    }
    if (url.port() != HttpUrl.defaultPort(scheme)) {
      buffer.writeByte(':').writeDecimalLong(url.port());
    }
  }
}
