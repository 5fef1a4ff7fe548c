package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okio.Buffer;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes a whole client HTTP/2 connection with what a server sends: the connection's own reader
 * thread reads the input (the corpus of {@code http2-frames}) after three requests opened streams
 * 1, 3 and 5, then the end of the stream; then each exchange reads its response head, body and
 * trailers as far as the connection lets it. A throwable escaping the reader thread, or anything
 * but an {@link IOException} on the application side, is a bug.
 */
class Http2ConnectionFuzzTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);
  private static final int STREAMS = 3;
  private static final Address ADDRESS = new Address("fuzz.example", 80, Dns.SYSTEM,
      SocketFactory.getDefault(), null, null, null, Authenticator.NONE, Proxy.NO_PROXY,
      ProxySelector.getDefault(), List.of(Protocol.H2_PRIOR_KNOWLEDGE));
  private static final Route ROUTE = new Route(ADDRESS, Proxy.NO_PROXY,
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
  private static final Request GET = new Request.Builder().url("http://fuzz.example/a").build();

  @Test
  void connectionsFailOnlyWithIOException() {
    FuzzResult result = Fuzzer.forTarget("http2-connection")
        .corpusResource("fuzz/http2-frames")
        .allow(IOException.class)
        .build()
        .run(Http2ConnectionFuzzTest::exchange);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static void exchange(byte[] input) throws Exception {
    ServerBytes server = new ServerBytes(input);
    Transport transport = new Transport(new Socket(), Okio.buffer(server),
        Okio.buffer(Okio.blackhole()), ROUTE, null, Protocol.H2_PRIOR_KNOWLEDGE);
    Http2Connection connection = Http2Connection.start(transport, new ConnectionOptions(0, 5_000),
        ProtocolConnection.Listener.NONE, Http2Config.DEFAULT);
    try {
      List<ExchangeCodec> codecs = new ArrayList<>();
      try {
        for (int i = 0; i < STREAMS; i++) {
          ExchangeCodec codec = connection.newCodec(OPTIONS);
          codec.writeRequestHeaders(GET);
          codec.finishRequest();
          codecs.add(codec);
        }
      } finally {
        server.streamsOpened.countDown();
      }
      server.awaitReaderEnd();
      for (ExchangeCodec codec : codecs) {
        readResponse(codec);
      }
    } finally {
      connection.close();
    }
  }

  private static void readResponse(ExchangeCodec codec) throws IOException {
    try {
      Response.Builder builder;
      do {
        builder = codec.readResponseHeaders(false);
      } while (builder.code() < 200);
      Response head = builder.request(GET).build();
      codec.reportedContentLength(head);
      Buffer body = new Buffer();
      try (Source source = codec.openResponseBodySource(head)) {
        while (source.read(body, 8192) != -1L) {
          body.clear();
        }
      }
      codec.trailers().toString();
    } catch (IOException expected) {
      // The input ended or broke the stream; the next exchange reads on.
    }
  }

  /**
   * Hands the input to the connection's reader thread once the streams are open, then ends; records
   * the reader thread so that the test can wait for it and see what escaped it.
   */
  private static final class ServerBytes implements Source {
    final CountDownLatch streamsOpened = new CountDownLatch(1);
    private final byte[] input;
    private int position;
    private volatile Thread reader;
    private volatile Throwable escaped;

    ServerBytes(byte[] input) {
      this.input = input;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (reader == null) {
        reader = Thread.currentThread();
        reader.setUncaughtExceptionHandler((thread, throwable) -> escaped = throwable);
        try {
          streamsOpened.await();
        } catch (InterruptedException e) {
          throw new IOException("interrupted", e);
        }
      }
      if (position == input.length) {
        return -1L;
      }
      int count = (int) Math.min(byteCount, input.length - position);
      sink.write(input, position, count);
      position += count;
      return count;
    }

    void awaitReaderEnd() throws InterruptedException {
      // The reader thread calls read() first thing; wait for it to appear, then to finish.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (reader == null && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      Thread thread = reader;
      if (thread == null) {
        throw new AssertionError("the connection's reader thread never read");
      }
      thread.join(TimeUnit.SECONDS.toMillis(5));
      if (thread.isAlive()) {
        throw new AssertionError("the connection's reader thread did not end at the end of input");
      }
      if (escaped != null) {
        throw new AssertionError("the connection's reader thread failed", escaped);
      }
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
