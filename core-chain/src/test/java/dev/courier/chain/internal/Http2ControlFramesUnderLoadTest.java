package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Call;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.CallerThreads;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many calls on one HTTP/2 connection to Netty's server, with windows so small that reading a body
 * returns credit every few frames, while other calls close their bodies early or are canceled
 * after their response head: every WINDOW_UPDATE and RST_STREAM goes through the queue that the
 * writer's holder writes, beside the HEADERS of the next calls. Every body read whole arrives
 * intact, no call hangs for want of credit a reset or a read left queued, and the one connection
 * carries every call.
 */
// A separate thread, so that credit lost on the way (a stalled window) fails the test, not the build.
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Http2ControlFramesUnderLoadTest {
  private static final int CALLERS = 16;
  private static final int CALLS_EACH = 12;
  private static final byte[] BODY = body(256 * 1024);

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @RegisterExtension
  final CallerThreads callers = new CallerThreads(CALLERS);

  @Test
  void readsEarlyClosesAndCancelsShareOneConnectionWithoutLosingCredit() throws Exception {
    TestServer server = H2c.server(chain);
    server.dispatcher(request -> ScriptedResponse.builder().body(BODY).build());
    CourierClient client = chain.client(builder -> {
      H2c.priorKnowledge(builder);
      // The smallest windows HTTP/2 allows: credit goes back every 32 KiB read.
      builder.providerSetting("courier-http2", "streamWindowSize", "65535");
      builder.providerSetting("courier-http2", "connectionWindowSize", "65535");
    });
    String url = server.url("/body");
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger wholeBodies = new AtomicInteger();

    List<Future<?>> running = new ArrayList<>();
    for (int caller = 0; caller < CALLERS; caller++) {
      int first = caller;
      running.add(callers.submit(() -> {
        for (int i = 0; i < CALLS_EACH; i++) {
          int kind = (first + i) % 3;
          try {
            call(client, url, kind, wholeBodies);
          } catch (IOException | RuntimeException e) {
            problems.add("caller " + first + " call " + i + " (kind " + kind + "): " + e);
          }
        }
      }));
    }
    for (Future<?> future : running) {
      future.get(100, TimeUnit.SECONDS);
    }

    assertThat(problems).isEmpty();
    assertThat(wholeBodies).hasValue(countKind(0));
    // Still usable after every reset and returned credit: one more whole body on the same connection.
    call(client, url, 0, wholeBodies);
    assertThat(server.connectionCount()).as("one connection carried every call").isEqualTo(1);
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
  }

  /**
   * Makes one call: kind 0 reads the body whole and checks it, kind 1 reads a third and closes it
   * (a RST_STREAM and the unread bytes' credit), kind 2 cancels the call after its response head
   * and expects the body's read to fail.
   */
  private static void call(CourierClient client, String url, int kind, AtomicInteger wholeBodies)
      throws IOException {
    Call call = client.newCall(new Request.Builder().url(url).build());
    try (Response response = call.execute()) {
      if (response.code() != 200) {
        throw new IOException("status " + response.code());
      }
      InputStream body = response.body().byteStream();
      if (kind == 0) {
        byte[] read = body.readAllBytes();
        if (!Arrays.equals(read, BODY)) {
          throw new IOException("a body of " + read.length + " bytes differs from the one sent");
        }
        wholeBodies.incrementAndGet();
      } else if (kind == 1) {
        byte[] third = body.readNBytes(BODY.length / 3);
        if (!Arrays.equals(third, Arrays.copyOf(BODY, third.length))) {
          throw new IOException("the start of a body differs from the one sent");
        }
      } else {
        call.cancel();
        boolean failed = false;
        try {
          body.readAllBytes();
        } catch (IOException expected) {
          failed = true;
        }
        if (!failed) {
          throw new IOException("a canceled call's body was read whole");
        }
      }
    }
  }

  private static int countKind(int kind) {
    int count = 0;
    for (int caller = 0; caller < CALLERS; caller++) {
      for (int i = 0; i < CALLS_EACH; i++) {
        if ((caller + i) % 3 == kind) {
          count++;
        }
      }
    }
    return count;
  }

  private static byte[] body(int size) {
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) (i * 31 + (i >>> 11));
    }
    return body;
  }
}
