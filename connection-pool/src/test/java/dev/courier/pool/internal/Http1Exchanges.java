package dev.courier.pool.internal;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import java.io.IOException;
import okio.BufferedSource;
import okio.Okio;

/** Runs a GET over a pooled connection with its codec, as the chain would. */
public final class Http1Exchanges {
  private Http1Exchanges() {}

  /** Sends GET {@code url} over {@code connection}; returns "code body". */
  public static String get(RealConnection connection, String url) throws IOException {
    Request request = new Request.Builder().url(url).header("Host", hostHeader(connection)).build();
    ExchangeCodec codec = connection.newCodec(new ExchangeOptions(5_000, 5_000));
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    Response response = codec.readResponseHeaders(false).request(request).build();
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(response))) {
      return response.code() + " " + body.readUtf8();
    }
  }

  private static String hostHeader(RealConnection connection) {
    return connection.address().host() + ":" + connection.address().port();
  }
}
