package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.courier.chain.support.Conversations.serving;
import static dev.courier.chain.support.Conversations.url;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Conversations;
import dev.courier.chain.support.RawHttpPeer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests through the client, over cleartext and TLS, that large bodies (many socket reads, and
 * uploads sent in gathered 64 KiB writes) leave a connection in the pool only when it is clean,
 * fail with the server named when the peer misbehaves mid-body, and arrive whole in both
 * directions.
 */
@Timeout(20)
class LargeBodyConnectionReuseTest {
  private static final int BODY_BYTES = 300 * 1024;
  private static final byte[] BODY = body(BODY_BYTES);

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void largeBodyReadToItsEndLeavesTheConnectionForTheNextCall(boolean tls) throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      for (int i = 0; i < 2; i++) {
        RawHttpPeer.readHead(in);
        writeLargeResponse(out, BODY.length, "");
      }
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = client(tls, 10_000);

      assertThat(readInChunks(client, url(peer, tls, "/first"))).isEqualTo(BODY);
      assertThat(readInChunks(client, url(peer, tls, "/second"))).isEqualTo(BODY);
      assertThat(peer.acceptedCount()).isEqualTo(1);
    }
  }

  /**
   * A stray response follows a large body in the same write, all of it in the client's socket
   * before the client reads past the body's start: a small one shares okio's last read of the
   * body, a large one ({@code strayBodyBytes} beyond the 8 KiB okio reads) also waits in the
   * socket (over TLS, partly as records still encrypted), where the pool's checks must find it.
   */
  @ParameterizedTest(name = "tls={0}, stray body of {1} bytes")
  @CsvSource({"false, 8", "false, 40000", "true, 8", "true, 40000"})
  void bytesSentRightAfterALargeBodyAreNeverReadAsTheNextResponse(boolean tls, int strayBodyBytes)
      throws Exception {
    String stray = "HTTP/1.1 200 OK\r\nContent-Length: " + strayBodyBytes + "\r\n\r\n"
        + "s".repeat(strayBodyBytes);
    int bodyBytes = 100 * 1024; // With the stray response, fits the loopback socket buffers.
    CountDownLatch allWritten = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        writeLargeResponse(out, bodyBytes, stray);
        allWritten.countDown();
      } else {
        RawHttpPeer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
      }
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = client(tls, 10_000);

      try (Response response = client.newCall(new Request.Builder().url(url(peer, tls, "/first")).build())
          .execute();
          InputStream in = response.body().byteStream()) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read = in.read(chunk);
        body.write(chunk, 0, read);
        assertThat(allWritten.await(10, TimeUnit.SECONDS)).isTrue();
        while ((read = in.read(chunk)) != -1) {
          body.write(chunk, 0, read);
        }
        assertThat(body.toByteArray()).isEqualTo(Arrays.copyOf(BODY, bodyBytes));
      }
      try (Response response = client.newCall(new Request.Builder().url(url(peer, tls, "/second")).build())
          .execute()) {
        assertThat(response.body().string()).isEqualTo("fresh");
      }
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void largeBodyShorterThanItsContentLengthFailsNamingTheServer(boolean tls) throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (BODY.length + 1000) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(BODY);
        out.flush();
        closeOutput(out);
        return;
      }
      RawHttpPeer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = client(tls, 10_000);

      assertThatThrownBy(() -> readInChunks(client, url(peer, tls, "/short")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("unexpected end of stream on " + peerName(peer, tls));
      try (Response response = client.newCall(new Request.Builder().url(url(peer, tls, "/next")).build())
          .execute()) {
        assertThat(response.body().string()).isEqualTo("fresh");
      }
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void serverStallingMidBodyEndsTheReadAfterTheReadTimeout(boolean tls) throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      RawHttpPeer.readHead(in);
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + (BODY.length * 2) + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(BODY);
      out.flush();
      clientDone.await(10, TimeUnit.SECONDS); // Stalls mid-body.
    }))) {
      CourierClient client = client(tls, 300);

      try {
        assertThatThrownBy(() -> readInChunks(client, url(peer, tls, "/stall")))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining("timed out waiting for " + peerName(peer, tls)
                + " while reading response body");
      } finally {
        clientDone.countDown();
      }
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void largeUploadArrivesWholeAndTheConnectionIsReused(boolean tls) throws Exception {
    int uploadBytes = 1024 * 1024 + 123;
    byte[] upload = body(uploadBytes);
    byte[][] received = new byte[2][];
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      DataInputStream data = new DataInputStream(in);
      for (int i = 0; i < 2; i++) {
        String head = RawHttpPeer.readHead(in);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        received[i] = new byte[length];
        data.readFully(received[i]);
        RawHttpPeer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      }
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = client(tls, 10_000);
      for (int i = 0; i < 2; i++) {
        Request request = new Request.Builder().url(url(peer, tls, "/upload"))
            .put(RequestBody.create(upload, MediaType.parse("application/octet-stream"))).build();
        try (Response response = client.newCall(request).execute()) {
          assertThat(response.body().string()).isEqualTo("ok");
        }
      }

      assertThat(digest(received[0])).isEqualTo(digest(upload));
      assertThat(digest(received[1])).isEqualTo(digest(upload));
      assertThat(peer.acceptedCount()).isEqualTo(1);
    }
  }

  private CourierClient client(boolean tls, int readTimeoutMillis) {
    return Conversations.client(chain, tls, readTimeoutMillis);
  }

  private static String peerName(RawHttpPeer peer, boolean tls) {
    return tls ? "localhost:" + peer.port() : peer.peer();
  }

  /** Reads a body through its stream 8 KiB at a time, as most callers do. */
  private static byte[] readInChunks(CourierClient client, String url) throws Exception {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute();
        InputStream in = response.body().byteStream()) {
      ByteArrayOutputStream result = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      for (int read; (read = in.read(chunk)) != -1; ) {
        result.write(chunk, 0, read);
      }
      return result.toByteArray();
    }
  }

  private static void writeLargeResponse(OutputStream out, int length, String after) throws Exception {
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = after.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(BODY, 0, all, head.length, length);
    System.arraycopy(tail, 0, all, head.length + length, tail.length);
    out.write(all);
    out.flush();
  }

  private static void closeOutput(OutputStream out) throws Exception {
    out.close(); // Closes the (TLS) socket: the client sees the end of the stream mid-body.
  }

  private static byte[] digest(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static byte[] body(int length) {
    byte[] result = new byte[length];
    long x = 42;
    for (int i = 0; i < length; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      result[i] = (byte) (x >>> 56);
    }
    return Arrays.copyOf(result, length);
  }
}
