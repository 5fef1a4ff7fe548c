package dev.courier.chain.internal;

import static dev.courier.chain.support.Conversations.serving;
import static dev.courier.chain.support.Conversations.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.chain.support.TestTls;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests how a TLS connection is closed: a write blocked on a peer that stopped reading ends when
 * its timeout fires or its call is canceled, while the peer still stalls (the JDK's TLS socket
 * sends its closing alert under the lock the blocked write holds, so closing the TLS socket itself
 * would wait for the peer), and an idle connection the pool closes still says goodbye with the
 * closing alert.
 */
@Timeout(60)
class TlsCloseTest {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  /** More than loopback's socket buffers hold, so a peer that reads nothing stalls the writer. */
  private static final byte[] LARGE = new byte[64 * 1024 * 1024];
  /** How long a stalling peer holds out; the client must have given up well before. */
  private static final long STALL_SECONDS = 30;

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @Test
  void writeTimeoutEndsAWriteBlockedOnAStalledTlsPeerWhileItStillStalls() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    AtomicReference<Boolean> releasedByClient = new AtomicReference<>();
    try (RawHttpPeer peer = RawHttpPeer.start(serving(true, (index, in, out) -> {
      RawHttpPeer.readHead(in);
      releasedByClient.set(clientDone.await(STALL_SECONDS, TimeUnit.SECONDS)); // Reads no body.
    }))) {
      CourierClient client = tlsClient(300, 0);
      try {
        assertThatThrownBy(() -> post(client, url(peer, true, "/stall")))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessage("timed out writing to localhost:" + peer.port()
                + " while writing request body (http/1.1)");
      } finally {
        clientDone.countDown();
      }
      client.connectionPool().evictAll();
    }
    assertThat(releasedByClient.get()).as("the write timed out while the peer still stalled").isTrue();
  }

  @Test
  void cancelEndsAnUploadBlockedOnAStalledTlsPeerWhileItStillStalls() throws Exception {
    CountDownLatch headRead = new CountDownLatch(1);
    CountDownLatch clientDone = new CountDownLatch(1);
    AtomicReference<Boolean> releasedByClient = new AtomicReference<>();
    try (RawHttpPeer peer = RawHttpPeer.start(serving(true, (index, in, out) -> {
      RawHttpPeer.readHead(in);
      headRead.countDown();
      releasedByClient.set(clientDone.await(STALL_SECONDS, TimeUnit.SECONDS)); // Reads no body.
    }))) {
      CourierClient client = tlsClient(0, 0); // No timeouts: only the cancel can end the upload.
      Call call = client.newCall(new Request.Builder().url(url(peer, true, "/stall"))
          .post(RequestBody.create(LARGE, OCTETS)).build());
      CompletableFuture<Response> upload = new CompletableFuture<>();
      Thread uploader = new Thread(() -> {
        try {
          upload.complete(call.execute());
        } catch (IOException | RuntimeException e) {
          upload.completeExceptionally(e);
        }
      }, "uploader");
      uploader.start();
      try {
        assertThat(headRead.await(20, TimeUnit.SECONDS)).isTrue();
        awaitBlockedInSocketWrite(uploader);
        call.cancel();
        assertThatThrownBy(() -> upload.get(STALL_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(IOException.class);
      } finally {
        clientDone.countDown();
      }
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(peer.acceptedCount()).as("not sent again").isEqualTo(1);
    }
    assertThat(releasedByClient.get()).as("the cancel ended the upload while the peer still stalled")
        .isTrue();
  }

  @Test
  void idleTlsConnectionClosedByThePoolSendsTheClosingAlert() throws Exception {
    AtomicReference<String> afterResponse = new AtomicReference<>();
    CountDownLatch closeSeen = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, rawIn, rawOut) -> {
      SSLSocket secure = (SSLSocket) TestTls.serverContext().getSocketFactory()
          .createSocket(socket, null, socket.getPort(), false);
      secure.setUseClientMode(false);
      secure.startHandshake();
      RawHttpPeer.readHead(secure.getInputStream());
      RawHttpPeer.write(secure.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      // The client sends nothing more until it closes: read what it then sends below TLS.
      try {
        int first = rawIn.read();
        afterResponse.set(first == -1 ? "end of stream" : "a TLS record of type " + first);
      } catch (IOException e) {
        afterResponse.set(e.toString());
      } finally {
        closeSeen.countDown();
      }
    })) {
      CourierClient client = tlsClient(0, 10_000);
      try (Response response = client.newCall(
          new Request.Builder().url(url(peer, true, "/")).build()).execute()) {
        assertThat(response.body().string()).isEqualTo("ok");
      }
      assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);

      client.connectionPool().evictAll();
      // Before the peer closes its end: the peer's read must see what the client's close sent.
      assertThat(closeSeen.await(10, TimeUnit.SECONDS)).isTrue();
    }
    // An alert record: type 21, or 23 under TLS 1.3, which encrypts it as application data.
    assertThat(afterResponse.get()).as("a TLS closing alert, not a cut connection")
        .isIn("a TLS record of type 21", "a TLS record of type 23");
  }

  /**
   * Waits until {@code thread} is blocked writing to a socket (its top frames in the JDK's native
   * socket write), so that the cancel meets a write in flight rather than one about to start.
   */
  private static void awaitBlockedInSocketWrite(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!inSocketWrite(thread.getStackTrace())) {
      assertThat(System.nanoTime() - deadline).as("the upload blocks in a socket write").isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static boolean inSocketWrite(StackTraceElement[] stack) {
    for (int i = 0; i < Math.min(stack.length, 4); i++) {
      if (stack[i].getMethodName().startsWith("write0")) {
        return true;
      }
    }
    return false;
  }

  private CourierClient tlsClient(int writeTimeoutMillis, int readTimeoutMillis) {
    return chain.client(builder -> {
      builder.writeTimeout(writeTimeoutMillis, TimeUnit.MILLISECONDS);
      builder.readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
      TestTls.trustTestAuthority(builder);
      builder.dns(TestTls.LOOPBACK_DNS);
    });
  }

  private static void post(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url)
        .post(RequestBody.create(LARGE, OCTETS)).build()).execute()) {
      response.body().string();
    }
  }
}
