package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.courier.chain.support.Conversations.serving;
import static dev.courier.chain.support.Conversations.url;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Conversations;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.internal.ArrayReadable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests through the client, against raw peers, that {@code byteStream()} reads of 8 KiB or more
 * (which go from the socket straight into the caller's array once okio's buffers are drained) give
 * exactly the body's bytes, never read past its end, end and fail it as buffered reads do, count
 * its bytes for the event listener, and leave the connection in the pool only when the body
 * ended cleanly.
 */
@Timeout(20)
class StreamedResponseBodyTest {
  private static final byte[] BODY = body(300 * 1024 + 7);
  private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";
  private static final String FRESH = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh";

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void largeReadsAtOddSizesAndOffsetsGetTheExactBodyCountedAndTheConnectionIsReused(boolean tls)
      throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      for (int i = 0; i < 2; i++) {
        RawHttpPeer.readHead(in);
        write(out, fixedLengthHead(BODY.length), BODY);
      }
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = client(tls, 10_000);

      assertThat(read(client, url(peer, tls, "/first"), 65_537, 11)).isEqualTo(BODY);
      assertThat(read(client, url(peer, tls, "/second"), 100_000, 0)).isEqualTo(BODY);

      assertThat(peer.acceptedCount()).isEqualTo(1);
      assertThat(chain.events().events("responseBodyEnd"))
          .extracting(event -> event.argument(Long.class))
          .containsExactly((long) BODY.length, (long) BODY.length);
    }
  }

  @Test
  void chunkedBodyReadInLargeReadsEndsWithItsTrailersAndTheConnectionIsReused() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      for (int i = 0; i < 2; i++) {
        RawHttpPeer.readHead(in);
        write(out, chunked(BODY, "Checksum: 7\r\n"));
      }
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      for (int i = 0; i < 2; i++) {
        Request request = new Request.Builder().url(peer.url("/chunked")).build();
        try (Response response = client.newCall(request).execute()) {
          assertThat(response.body()).isInstanceOf(ArrayReadable.class); // Large reads bypass okio.
          assertThat(readAll(response.body().byteStream(), 65_536, 3)).isEqualTo(BODY);
          assertThat(response.trailers()).isEqualTo(Headers.of("Checksum", "7"));
        }
      }

      assertThat(peer.acceptedCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "chunked={0}")
  @ValueSource(booleans = {false, true})
  void responseSentRightBehindTheBodyIsNeverReadIntoIt(boolean chunked) throws Exception {
    CountDownLatch allWritten = new CountDownLatch(1);
    byte[] body = Arrays.copyOf(BODY, 100 * 1024); // With the stray response, fits the socket buffers.
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        byte[] first = chunked ? chunked(body, "") : concat(fixedLengthHead(body.length), body);
        write(out, first, SMUGGLED.getBytes(StandardCharsets.US_ASCII));
        allWritten.countDown();
      } else {
        RawHttpPeer.write(out, FRESH);
      }
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      try (Response response = client.newCall(new Request.Builder().url(peer.url("/first")).build())
          .execute()) {
        assertThat(allWritten.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(readAll(response.body().byteStream(), 1024 * 1024, 0)).isEqualTo(body);
      }

      assertThat(fetch(client, peer.url("/second"))).isEqualTo("fresh");
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "chunked={0}")
  @ValueSource(booleans = {false, true})
  void peerClosingMidBodyFailsNamingTheServerAndTheConnectionIsNotReused(boolean chunked)
      throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        byte[] whole = chunked ? chunked(BODY, "") : concat(fixedLengthHead(BODY.length), BODY);
        write(out, Arrays.copyOf(whole, whole.length / 2));
        return; // Closes the connection mid-body.
      }
      RawHttpPeer.write(out, FRESH);
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      assertThatThrownBy(() -> read(client, peer.url("/cut"), 65_536, 0))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("unexpected end of stream on " + peer.peer());
      assertThat(fetch(client, peer.url("/next"))).isEqualTo("fresh");
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @Test
  void stalledPeerEndsTheLargeReadAfterTheReadTimeoutNamingTheServer() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      write(out, fixedLengthHead(BODY.length * 2), BODY);
      clientDone.await(10, TimeUnit.SECONDS); // Stalls mid-body.
    })) {
      CourierClient client = client(false, 300);

      try {
        assertThatThrownBy(() -> read(client, peer.url("/stall"), 65_536, 0))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining(peer.peer());
      } finally {
        clientDone.countDown();
      }
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
    }
  }

  @Test
  void callTimeoutEndsALargeReadOfAStalledBody() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      write(out, fixedLengthHead(BODY.length * 2), BODY);
      clientDone.await(10, TimeUnit.SECONDS); // Stalls mid-body.
    })) {
      CourierClient client = chain.client(builder -> builder
          .readTimeout(0, TimeUnit.MILLISECONDS)
          .callTimeout(300, TimeUnit.MILLISECONDS));
      Call call = client.newCall(new Request.Builder().url(peer.url("/stall")).build());

      try (Response response = call.execute(); InputStream in = response.body().byteStream()) {
        assertThatThrownBy(() -> readAll(in, 65_536, 0))
            .isInstanceOf(InterruptedIOException.class)
            .hasMessage("timeout");
      } finally {
        clientDone.countDown();
      }
      assertThat(call.isCanceled()).isTrue();
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
    }
  }

  @Test
  void bodyLongerThanItsContentLengthIsCutThereAndTheConnectionIsNotReused() throws Exception {
    CountDownLatch allWritten = new CountDownLatch(1);
    int declared = 50_000;
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        write(out, fixedLengthHead(declared), Arrays.copyOf(BODY, declared + 10_000));
        allWritten.countDown();
      } else {
        RawHttpPeer.write(out, FRESH);
      }
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      try (Response response = client.newCall(new Request.Builder().url(peer.url("/lying")).build())
          .execute()) {
        assertThat(allWritten.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(readAll(response.body().byteStream(), 65_536, 0))
            .isEqualTo(Arrays.copyOf(BODY, declared));
      }

      assertThat(fetch(client, peer.url("/next"))).isEqualTo("fresh");
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @Test
  void bodyClosedBeforeItsEndWhileThePeerStallsKeepsTheConnectionOutOfThePool() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      if (index == 0) {
        write(out, fixedLengthHead(BODY.length * 2), BODY);
        clientDone.await(10, TimeUnit.SECONDS); // The rest never comes.
        return;
      }
      RawHttpPeer.write(out, FRESH);
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      try (Response response = client.newCall(new Request.Builder().url(peer.url("/partial")).build())
          .execute();
          InputStream in = response.body().byteStream()) {
        byte[] sink = new byte[65_536];
        assertThat(in.read(sink, 0, sink.length)).isPositive();
      } finally {
        clientDone.countDown();
      }

      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(fetch(client, peer.url("/next"))).isEqualTo("fresh");
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @Test
  void gzipBodyReadInLargeReadsIsDecoded() throws Exception {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(BODY);
    }
    byte[] encoded = gzipped.toByteArray();
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      write(out, ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + encoded.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), encoded);
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);

      try (Response response = client.newCall(new Request.Builder().url(peer.url("/gzip")).build())
          .execute()) {
        // The decoded body is read through okio's buffers; the encoded one under it is counted.
        assertThat(response.body()).isNotInstanceOf(ArrayReadable.class);
        assertThat(readAll(response.body().byteStream(), 65_536, 5)).isEqualTo(BODY);
      }
      assertThat(chain.events().events("responseBodyEnd"))
          .extracting(event -> event.argument(Long.class))
          .containsExactly((long) encoded.length);
      assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);
    }
  }

  @Test
  void readingAfterTheBodyIsClosedFails() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      write(out, fixedLengthHead(BODY.length), BODY);
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = client(false, 10_000);
      Response response = client.newCall(new Request.Builder().url(peer.url("/closed")).build())
          .execute();
      InputStream in = response.body().byteStream();

      response.close();

      assertThatThrownBy(() -> in.read(new byte[65_536], 0, 65_536))
          .isInstanceOf(IOException.class)
          .hasMessage("closed");
    }
  }

  private CourierClient client(boolean tls, int readTimeoutMillis) {
    return Conversations.client(chain, tls, readTimeoutMillis);
  }

  private static String fetch(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    }
  }

  /** Reads a body through its stream in reads of {@code readBytes} at {@code offset}. */
  private static byte[] read(CourierClient client, String url, int readBytes, int offset)
      throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute();
        InputStream in = response.body().byteStream()) {
      return readAll(in, readBytes, offset);
    }
  }

  private static byte[] readAll(InputStream in, int readBytes, int offset) throws IOException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    byte[] sink = new byte[offset + readBytes + 3];
    for (int read; (read = in.read(sink, offset, readBytes)) != -1; ) {
      assertThat(read).isPositive();
      result.write(sink, offset, read);
    }
    return result.toByteArray();
  }

  private static byte[] fixedLengthHead(int length) {
    return ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns a chunked response of {@code body} in chunks of odd sizes, then {@code trailers}. */
  private static byte[] chunked(byte[] body, String trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(head);
    int[] sizes = {1, 70_001, 13, 100_000};
    int position = 0;
    for (int i = 0; position < body.length; i++) {
      int size = Math.min(sizes[i % sizes.length], body.length - position);
      out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, position, size);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      position += size;
    }
    out.writeBytes(("0\r\n" + trailers + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }

  private static void write(OutputStream out, byte[]... parts) throws IOException {
    byte[] all = new byte[0];
    for (byte[] part : parts) {
      all = concat(all, part);
    }
    out.write(all); // In one write, so what follows the body is in the client's socket with it.
    out.flush();
  }

  private static byte[] body(int length) {
    byte[] result = new byte[length];
    long x = 7;
    for (int i = 0; i < length; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      result[i] = (byte) (x >>> 56);
    }
    return result;
  }
}
