package dev.courier.testing.internal;

import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Holds the settings a {@code TestServer} was started with.
 *
 * @param sslContext the server TLS context, or null for cleartext
 * @param protocols the protocols to serve, in preference order ({@code "http/1.1"}, {@code
 *     "h2"}, {@code "h2c"})
 * @param http2Settings the SETTINGS the server announces on HTTP/2 connections
 */
public record ServerConfig(SSLContext sslContext, List<String> protocols, Http2ServerSettings http2Settings) {
  /** Protocol id of HTTP/1.1. */
  public static final String HTTP_1_1 = "http/1.1";
  /** Protocol id of HTTP/2 over TLS. */
  public static final String H2 = "h2";
  /** Protocol id of HTTP/2 over cleartext with prior knowledge. */
  public static final String H2C = "h2c";

  /** Creates a configuration, copying {@code protocols}. */
  public ServerConfig {
    protocols = List.copyOf(protocols);
  }

  /** Returns whether connections use TLS. */
  public boolean tls() {
    return sslContext != null;
  }
}
