package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.internal.ArrayReadable;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 bodies read through {@code byteStream()} in large reads, which go from the stream's
 * received bytes straight into the caller's array, through the client over h2c: exact bytes at
 * odd read sizes and offsets, the event listener's byte count, trailers, and the connection reused.
 */
@Timeout(30)
class Http2BodyArrayReadTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  /** Records the body's byte count and connections opened. */
  static final class Counter extends EventListener {
    final AtomicLong bodyBytes = new AtomicLong(-1);
    final AtomicInteger connectStarts = new AtomicInteger();

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connectStarts.incrementAndGet();
    }

    @Override
    public void responseBodyEnd(Call call, long byteCount) {
      bodyBytes.set(byteCount);
    }
  }

  @Test
  void largeReadsDeliverExactBytesCountThemAndReuseTheConnection() throws Exception {
    byte[] body = new byte[1_000_003];
    new Random(3).nextBytes(body);
    TestServer server = H2c.server(chain);
    server.dispatcher(request -> ScriptedResponse.builder().body(body).build());
    Counter counter = new Counter();
    CourierClient client = chain.client(builder -> {
      H2c.priorKnowledge(builder);
      builder.eventListener(counter);
    });

    for (int call = 0; call < 2; call++) {
      try (Response response = client.newCall(new Request.Builder().url(server.url("/bulk")).build()).execute();
           InputStream in = response.body().byteStream()) {
        // The body reads arrays: its stream sends large reads to the HTTP/2 stream's source.
        assertThat(response.body()).isInstanceOf(ArrayReadable.class);
        byte[] received = new byte[body.length];
        int total = 0;
        int[] readSizes = {65_536, 8_192, 1, 100_000, 10_007, 3};
        byte[] scratch = new byte[100_010];
        for (int i = 0; ; i++) {
          int at = i % 5;
          int read = in.read(scratch, at, readSizes[i % readSizes.length]);
          if (read == -1) {
            break;
          }
          System.arraycopy(scratch, at, received, total, read);
          total += read;
        }
        assertThat(total).isEqualTo(body.length);
        assertThat(Arrays.equals(received, body)).isTrue();
      }
      assertThat(counter.bodyBytes).hasValue(body.length);
    }
    assertThat(counter.connectStarts).hasValue(1);
  }

  @Test
  void trailersFollowABodyReadInLargeReads() throws Exception {
    byte[] body = new byte[70_000];
    new Random(5).nextBytes(body);
    TestServer server = H2c.server(chain);
    server.dispatcher(request -> ScriptedResponse.builder().body(body).trailers("checksum", "xyz").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/t")).build()).execute();
         InputStream in = response.body().byteStream()) {
      byte[] sink = new byte[65_536];
      long total = 0;
      for (int read; (read = in.read(sink, 0, sink.length)) != -1; ) {
        total += read;
      }
      assertThat(total).isEqualTo(body.length);
      assertThat(response.trailers()).isEqualTo(Headers.of("checksum", "xyz"));
    }
  }
}
