package dev.courier.chain.internal;

import static dev.courier.chain.support.Conversations.serving;
import static dev.courier.chain.support.Conversations.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Conversations;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.internal.ArrayWritable;
import dev.courier.internal.ArrayWritingBody;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests through the client, against raw peers, that request bodies written as arrays (Courier's
 * file and large byte-array bodies, which go from their arrays straight to the socket over
 * cleartext HTTP/1.1, through okio's buffer over TLS) arrive exactly, are counted for the event listener, never go past their declared
 * length, fail naming the peer, and leave the connection in the pool only when the exchange ended
 * cleanly.
 */
@Timeout(30)
class RequestBodySinkTest {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private static final byte[] BODY = body(300 * 1024 + 7);
  private static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @TempDir
  Path directory;

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void fileAndArrayBodiesArriveExactlyCountedAndTheConnectionIsReused(boolean tls) throws Exception {
    File file = Files.write(directory.resolve("body.bin"), BODY).toFile();
    byte[] array = Arrays.copyOfRange(BODY, 11, 100_011);
    List<byte[]> received = new CopyOnWriteArrayList<>();
    try (RawHttpPeer peer = RawHttpPeer.start(serving(tls, (index, in, out) -> {
      for (int i = 0; i < 4; i++) {
        received.add(readBody(in, contentLength(RawHttpPeer.readHead(in))));
        RawHttpPeer.write(out, CREATED);
      }
      RawHttpPeer.awaitClientClose(in);
    }))) {
      CourierClient client = Conversations.client(chain, tls, 10_000);

      assertThat(put(client, url(peer, tls, "/file"), RequestBody.create(file, OCTETS))).isEqualTo("ok");
      assertThat(put(client, url(peer, tls, "/array"), RequestBody.create(array, OCTETS))).isEqualTo("ok");
      assertThat(put(client, url(peer, tls, "/small"), RequestBody.create(new byte[] {1, 2, 3}, OCTETS)))
          .isEqualTo("ok");

      ArrayBody arrays = new ArrayBody(array.length, array, Headers.EMPTY);
      assertThat(put(client, url(peer, tls, "/arrays"), arrays)).isEqualTo("ok");

      assertThat(received).hasSize(4);
      assertThat(received.get(0)).isEqualTo(BODY);
      assertThat(received.get(1)).isEqualTo(array);
      assertThat(received.get(2)).containsExactly(1, 2, 3);
      assertThat(received.get(3)).isEqualTo(array);
      assertThat(arrays.arrayWrites).as("straight to the socket only in cleartext").isEqualTo(tls ? 0 : 1);
      assertThat(peer.acceptedCount()).isEqualTo(1);
      assertThat(chain.events().events("requestBodyEnd"))
          .extracting(event -> event.argument(Long.class))
          .containsExactly((long) BODY.length, (long) array.length, 3L, (long) array.length);
    }
  }

  @Test
  void chunkedArrayBodyIsFramedWithItsTrailersAndTheConnectionIsReused() throws Exception {
    ArrayBody chunked = new ArrayBody(-1L, BODY, Headers.of("Checksum", "7"));
    List<String> received = new CopyOnWriteArrayList<>();
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      for (int i = 0; i < 2; i++) {
        String head = RawHttpPeer.readHead(in);
        assertThat(head).containsIgnoringCase("Transfer-Encoding: chunked");
        received.add(new String(readChunked(in), StandardCharsets.ISO_8859_1));
        RawHttpPeer.write(out, CREATED);
      }
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = Conversations.client(chain, false, 10_000);

      assertThat(post(client, peer.url("/chunked"), chunked)).isEqualTo("ok");
      assertThat(post(client, peer.url("/again"), chunked)).isEqualTo("ok");

      String expected = new String(BODY, StandardCharsets.ISO_8859_1) + "|Checksum: 7\r\n";
      assertThat(received).containsExactly(expected, expected);
      assertThat(chunked.arrayWrites).as("written as arrays, not through okio").isEqualTo(2);
      assertThat(peer.acceptedCount()).isEqualTo(1);
      assertThat(chain.events().events("requestBodyEnd"))
          .extracting(event -> event.argument(Long.class))
          .containsExactly((long) BODY.length, (long) BODY.length);
    }
  }

  @Test
  void bodyWritingMoreThanItDeclaredFailsNamingThePeerAndNothingPastTheLengthIsSent()
      throws Exception {
    int declared = 100_000; // Written as 65536 + 42656 bytes: the second write would pass it.
    ArrayBody lying = new ArrayBody(declared, Arrays.copyOf(BODY, declared + 8192), Headers.EMPTY);
    BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      received.add(readToEnd(in).length);
    })) {
      CourierClient client = Conversations.client(chain, false, 10_000);

      assertThatThrownBy(() -> post(client, peer.url("/longer"), lying))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining(peer.peer())
          .hasMessageContaining("declared 100000 bytes but the body wrote 108192");

      // The writes before the one that would pass the length went out whole; the client then
      // closed the connection, ending the peer's read.
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(65_536);
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(chain.events().events("requestBodyEnd")).isEmpty();
      assertThat(chain.events().events("requestFailed")).hasSize(1);
    }
  }

  @Test
  void bodyWritingFewerBytesThanItDeclaredFailsNamingThePeerAndTheConnectionIsNotReused()
      throws Exception {
    ArrayBody shortBody = new ArrayBody(100_000, Arrays.copyOf(BODY, 50_000), Headers.EMPTY);
    BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      received.add(readToEnd(in).length);
    })) {
      CourierClient client = Conversations.client(chain, false, 10_000);

      assertThatThrownBy(() -> post(client, peer.url("/shorter"), shortBody))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining(peer.peer())
          .hasMessageContaining("declared 100000 bytes but the body wrote 50000");

      assertThat(received.poll(10, TimeUnit.SECONDS)).as("closed after the body's 50000 bytes")
          .isEqualTo(50_000);
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(peer.acceptedCount()).isEqualTo(1);
    }
  }

  // Over TLS: TlsCloseTest.
  @Test
  void peerThatStopsReadingTimesTheWriteOutNamingThePeer() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    byte[] large = new byte[64 * 1024 * 1024]; // More than loopback's socket buffers hold.
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      clientDone.await(20, TimeUnit.SECONDS); // Reads nothing of the body.
    })) {
      CourierClient client = chain.client(builder -> builder.writeTimeout(300, TimeUnit.MILLISECONDS));

      try {
        assertThatThrownBy(() -> post(client, peer.url("/stall"), RequestBody.create(large, OCTETS)))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessage("timed out writing to " + peer.peer() + " while writing request body (http/1.1)");
      } finally {
        clientDone.countDown();
      }
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(peer.acceptedCount()).as("not sent twice").isEqualTo(1);
      assertThat(chain.events().events("requestFailed")).hasSize(1);
    }
  }

  @Test
  void peerThatAnswersEarlyAndClosesFailsTheUploadNamingThePeerWithoutSendingItTwice()
      throws Exception {
    byte[] large = new byte[32 * 1024 * 1024];
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      RawHttpPeer.write(out, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n");
      socket.setSoLinger(true, 0); // Closes with a reset, whatever the client still sends.
    })) {
      CourierClient client = Conversations.client(chain, false, 10_000);

      assertThatThrownBy(() -> post(client, peer.url("/too-large"), RequestBody.create(large, OCTETS)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(peer.peer())
          .hasMessageContaining("writing request body");

      assertThat(peer.acceptedCount()).as("not sent twice").isEqualTo(1);
      assertThat(client.connectionPool().idleConnectionCount()).isZero();
      assertThat(chain.events().events("requestFailed")).hasSize(1);
    }
  }

  private static String put(CourierClient client, String url, RequestBody body) throws IOException {
    return send(client, new Request.Builder().url(url).put(body).build());
  }

  private static String post(CourierClient client, String url, RequestBody body) throws IOException {
    return send(client, new Request.Builder().url(url).post(body).build());
  }

  private static String send(CourierClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(201);
      return response.body().string();
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }

  private static byte[] readBody(InputStream in, int length) throws IOException {
    byte[] result = in.readNBytes(length);
    assertThat(result).hasSize(length);
    return result;
  }

  private static byte[] readToEnd(InputStream in) {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        result.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // Reset by the client as it drops the connection: what came before is what counts.
    }
    return result.toByteArray();
  }

  /** Reads a chunked body and returns its content, then {@code |} and its trailer lines. */
  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int size = Integer.parseInt(sizeLine, 16);
      if (size == 0) {
        break;
      }
      result.write(readBody(in, size));
      assertThat(readLine(in)).isEmpty();
    }
    result.write('|');
    for (String line; !(line = readLine(in)).isEmpty(); ) {
      result.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    return result.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      assertThat(c).isNotEqualTo(-1);
      line.append((char) c);
    }
    assertThat(line.charAt(line.length() - 1)).isEqualTo('\r');
    return line.substring(0, line.length() - 1);
  }

  private static byte[] body(int length) {
    byte[] result = new byte[length];
    for (int i = 0; i < length; i++) {
      result[i] = (byte) (i * 13 + i / 509);
    }
    return result;
  }

  /**
   * A body that declares {@code declaredLength} and writes {@code content} as arrays, 64 KiB at a
   * time, straight below okio's buffer when the client lets it.
   */
  private static final class ArrayBody extends RequestBody implements ArrayWritingBody {
    private final long declaredLength;
    private final byte[] content;
    private final Headers trailers;
    int arrayWrites;

    ArrayBody(long declaredLength, byte[] content, Headers trailers) {
      this.declaredLength = declaredLength;
      this.content = content;
      this.trailers = trailers;
    }

    @Override
    public MediaType contentType() {
      return OCTETS;
    }

    @Override
    public long contentLength() {
      return declaredLength;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(content);
    }

    @Override
    public void writeTo(BufferedSink sink, ArrayWritable unbuffered) throws IOException {
      arrayWrites++;
      sink.emit();
      for (int offset = 0; offset < content.length; offset += 65_536) {
        unbuffered.write(content, offset, Math.min(65_536, content.length - offset));
      }
    }

    @Override
    public Headers trailers() {
      return trailers;
    }
  }
}
