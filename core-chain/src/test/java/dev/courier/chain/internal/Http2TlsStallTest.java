package dev.courier.chain.internal;

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
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests HTTP/2 over TLS against a peer that stops reading while the client uploads: a write
 * timeout or a cancel ends the blocked upload while the peer still stalls (the peer is released by
 * the test, never by its own timeout), the failure names host:port, the connection is retired and
 * every other stream on it fails, nothing is sent twice and the connection's reader thread ends.
 * The peer speaks just enough HTTP/2: it sends SETTINGS with the largest windows, so that only
 * the socket, not flow control, stops the client, reads frames up to the HEADERS of every stream
 * it expects, and then reads nothing more.
 */
@Timeout(60)
class Http2TlsStallTest {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  /** More than loopback's socket buffers hold, so a peer that reads nothing stalls the writer. */
  private static final byte[] LARGE = new byte[64 * 1024 * 1024];
  /** How long a stalling peer holds out; the client must have given up well before. */
  private static final long STALL_SECONDS = 30;
  private static final int TYPE_HEADERS = 0x1;
  private static final int TYPE_SETTINGS = 0x4;
  private static final int TYPE_WINDOW_UPDATE = 0x8;
  private static final int MAX_WINDOW = Integer.MAX_VALUE;

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @Test
  void writeTimeoutEndsAnUploadBlockedOnAStalledTlsPeerWhileItStillStalls() throws Exception {
    try (StallingPeer peer = new StallingPeer(1)) {
      CourierClient client = tlsClient(300);
      try {
        assertThatThrownBy(() -> post(client, peer.url("/stall")))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining("localhost:" + peer.port());
      } finally {
        peer.release();
      }
      assertRetired(client, peer);
      assertThat(peer.releasedByClient()).as("the write timed out while the peer still stalled").isTrue();
    }
  }

  @Test
  void writeTimeoutFailsEveryStreamUploadingOnTheStalledConnection() throws Exception {
    int streams = 3;
    try (StallingPeer peer = new StallingPeer(streams)) {
      CourierClient client = tlsClient(300);
      List<Upload> uploads = new ArrayList<>();
      try {
        // The first call opens the connection; the others share it as soon as it speaks HTTP/2.
        uploads.add(upload(client.newCall(postRequest(peer.url("/stall/0")))));
        assertThat(peer.awaitHeaders(1)).isTrue();
        for (int i = 1; i < streams; i++) {
          uploads.add(upload(client.newCall(postRequest(peer.url("/stall/" + i)))));
        }
        for (Upload upload : uploads) {
          assertFailsNamingPeer(upload, peer);
        }
      } finally {
        peer.release();
      }
      assertThat(peer.headersRead()).as("every stream reached the one connection").isEqualTo(streams);
      assertRetired(client, peer);
      assertThat(peer.releasedByClient()).as("every upload ended while the peer still stalled").isTrue();
    }
  }

  @Test
  void cancelEndsAnUploadBlockedOnAStalledTlsPeerWhileItStillStalls() throws Exception {
    try (StallingPeer peer = new StallingPeer(1)) {
      CourierClient client = tlsClient(0); // No write timeout: only the cancel can end the upload.
      Call call = client.newCall(postRequest(peer.url("/stall")));
      Upload upload = upload(call);
      try {
        assertThat(peer.awaitHeaders(1)).isTrue();
        awaitBlockedInSocketWrite(upload.thread());
        endsWhileThePeerStalls(call::cancel);
        // A canceled call fails with "Canceled"; its cause says where and when.
        assertThatThrownBy(() -> upload.result().get(STALL_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IOException.class)
            .hasStackTraceContaining("canceled call to localhost:" + peer.port()
                + " while writing request body (h2)");
      } finally {
        peer.release();
      }
      assertRetired(client, peer);
      assertThat(peer.releasedByClient()).as("the cancel ended the upload while the peer still stalled")
          .isTrue();
    }
  }

  @Test
  void cancelOfTheUploadHoldingTheWriterFailsTheOtherStreamTooWhileThePeerStalls() throws Exception {
    try (StallingPeer peer = new StallingPeer(2)) {
      CourierClient client = tlsClient(0);
      Call first = client.newCall(postRequest(peer.url("/stall/0")));
      Upload firstUpload = upload(first);
      try {
        assertThat(peer.awaitHeaders(1)).isTrue();
        Call second = client.newCall(postRequest(peer.url("/stall/1")));
        Upload secondUpload = upload(second);
        assertThat(peer.awaitHeaders(2)).as("both streams reached the one connection").isTrue();
        // The call whose frame is stuck in the socket: no RST_STREAM can pass it, so the cancel
        // must end the connection, and with it the other stream, which waits for the writer.
        boolean firstWrites = awaitOneWritingOtherWaiting(firstUpload.thread(), secondUpload.thread())
            == firstUpload.thread();
        endsWhileThePeerStalls(firstWrites ? first::cancel : second::cancel);
        Upload canceled = firstWrites ? firstUpload : secondUpload;
        assertThatThrownBy(() -> canceled.result().get(STALL_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IOException.class);
        assertFailsNamingPeer(firstWrites ? secondUpload : firstUpload, peer);
      } finally {
        peer.release();
      }
      assertRetired(client, peer);
      assertThat(peer.releasedByClient()).as("both uploads ended while the peer still stalled").isTrue();
    }
  }

  @Test
  void closingTheClientEndsAnUploadBlockedOnAStalledTlsPeerWhileItStillStalls() throws Exception {
    try (StallingPeer peer = new StallingPeer(1)) {
      CourierClient client = tlsClient(0);
      Upload upload = upload(client.newCall(postRequest(peer.url("/stall"))));
      try {
        assertThat(peer.awaitHeaders(1)).isTrue();
        awaitBlockedInSocketWrite(upload.thread());
        endsWhileThePeerStalls(client::close);
        assertThatThrownBy(() -> upload.result().get(STALL_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IOException.class);
      } finally {
        peer.release();
      }
      assertRetired(client, peer);
      assertThat(peer.releasedByClient()).as("the close ended the upload while the peer still stalled")
          .isTrue();
    }
  }

  @Test
  void closingTheClientDoesNotWaitASecondForEachConnectionWithAStuckUpload() throws Exception {
    int connections = 4;
    List<StallingPeer> peers = new ArrayList<>();
    try {
      CourierClient client = tlsClient(0);
      List<Upload> uploads = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        StallingPeer peer = new StallingPeer(1);
        peers.add(peer);
        uploads.add(upload(client.newCall(postRequest(peer.url("/stall")))));
        assertThat(peer.awaitHeaders(1)).isTrue();
      }
      for (Upload upload : uploads) {
        awaitBlockedInSocketWrite(upload.thread());
      }

      long start = System.nanoTime();
      client.close();
      long elapsed = System.nanoTime() - start;

      // Each cancel used to wait up to a second for its connection's stuck writer before closing
      // it, one connection after another: four seconds here. A cancel now leaves its reset to the
      // writer and returns, and the pool then closes every connection at once.
      assertThat(elapsed).as("close() did not wait a second per connection")
          .isLessThan(TimeUnit.SECONDS.toNanos(2));
      for (Upload upload : uploads) {
        assertThatThrownBy(() -> upload.result().get(STALL_SECONDS, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IOException.class);
      }
      for (StallingPeer peer : peers) {
        peer.release();
        assertRetired(client, peer);
        assertThat(peer.releasedByClient()).as("the close ended the upload while the peer still stalled")
            .isTrue();
      }
    } finally {
      for (StallingPeer peer : peers) {
        peer.close();
      }
    }
  }

  /** Runs {@code action} on a thread of its own and checks it returns before the peer's stall runs out. */
  private static void endsWhileThePeerStalls(Runnable action) throws InterruptedException {
    Thread thread = new Thread(action, "closer");
    thread.setDaemon(true);
    thread.start();
    thread.join(TimeUnit.SECONDS.toMillis(STALL_SECONDS - 5));
    assertThat(thread.isAlive()).as("returned while the peer still stalled").isFalse();
  }

  private static void assertFailsNamingPeer(Upload upload, StallingPeer peer) {
    assertThatThrownBy(() -> upload.result().get(STALL_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class)
        .cause().hasMessageContaining("localhost:" + peer.port());
  }

  /**
   * Checks the stalled connection is gone: its reader thread ended, no connection is pooled, and
   * the peer saw one connection only, so nothing was sent again.
   */
  private static void assertRetired(CourierClient client, StallingPeer peer) throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("Courier h2 reader localhost")) {
        thread.join(TimeUnit.SECONDS.toMillis(STALL_SECONDS));
        assertThat(thread.isAlive()).as("the connection's reader thread ended").isFalse();
      }
    }
    assertThat(client.connectionPool().connectionCount()).as("no connection kept").isZero();
    assertThat(peer.acceptedCount()).as("not sent again").isEqualTo(1);
  }

  /** A call executing on a thread of its own. */
  private record Upload(Thread thread, CompletableFuture<Response> result) {}

  private static Upload upload(Call call) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try (Response response = call.execute()) {
        result.complete(response);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "uploader " + call.request().url().encodedPath());
    thread.setDaemon(true);
    thread.start();
    return new Upload(thread, result);
  }

  /**
   * Waits until {@code thread} is blocked writing to a socket (its top frames in the JDK's native
   * socket write on ten looks in a row), so that the cancel meets a write stuck on the full socket
   * rather than one about to complete.
   */
  private static void awaitBlockedInSocketWrite(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int looks = 0;
    while (looks < 10) {
      assertThat(System.nanoTime() - deadline).as("the upload blocks in a socket write").isNegative();
      looks = inSocketWrite(thread.getStackTrace()) ? looks + 1 : 0;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Waits until one of two uploads sharing a connection is blocked in a socket write while the
   * other waits for the connection's writer, as seen on ten looks in a row, and returns the one
   * writing.
   */
  private static Thread awaitOneWritingOtherWaiting(Thread a, Thread b) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int looks = 0;
    Thread writing = null;
    while (looks < 10) {
      assertThat(System.nanoTime() - deadline).as("one upload blocks in a socket write").isNegative();
      Thread now = inSocketWrite(a.getStackTrace()) ? a : inSocketWrite(b.getStackTrace()) ? b : null;
      Thread other = now == a ? b : a;
      boolean stuck = now != null && now == (writing == null ? now : writing)
          && other.getState() == Thread.State.WAITING;
      looks = stuck ? looks + 1 : 0;
      writing = stuck ? now : null;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return writing;
  }

  private static boolean inSocketWrite(StackTraceElement[] stack) {
    for (int i = 0; i < Math.min(stack.length, 4); i++) {
      if (stack[i].getMethodName().startsWith("write0")) {
        return true;
      }
    }
    return false;
  }

  private CourierClient tlsClient(int writeTimeoutMillis) {
    return chain.client(builder -> {
      builder.writeTimeout(writeTimeoutMillis, TimeUnit.MILLISECONDS);
      builder.readTimeout(0, TimeUnit.MILLISECONDS);
      TestTls.trustTestAuthority(builder);
      builder.dns(TestTls.LOOPBACK_DNS);
    });
  }

  private static Request postRequest(String url) {
    return new Request.Builder().url(url).post(RequestBody.create(LARGE, OCTETS)).build();
  }

  private static void post(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(postRequest(url)).execute()) {
      response.body().string();
    }
  }

  /**
   * Accepts TLS connections offering h2, sends SETTINGS opening every window as wide as HTTP/2
   * allows, reads frames until it has seen the HEADERS of {@code streams} streams, then reads
   * nothing more until {@link #release()}.
   */
  private static final class StallingPeer implements AutoCloseable {
    private final int streams;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Boolean> releasedByClient = new CompletableFuture<>();
    private final Object headersMonitor = new Object();
    private int headersRead;
    private final RawHttpPeer raw;

    StallingPeer(int streams) throws IOException {
      this.streams = streams;
      this.raw = RawHttpPeer.start(this::serve);
    }

    private void serve(int index, Socket socket, InputStream rawIn, java.io.OutputStream rawOut)
        throws Exception {
      SSLSocket secure = (SSLSocket) TestTls.serverContext().getSocketFactory()
          .createSocket(socket, null, socket.getPort(), true);
      secure.setUseClientMode(false);
      SSLParameters parameters = secure.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      try (Socket closing = secure) {
        DataOutputStream out = new DataOutputStream(secure.getOutputStream());
        frameHeader(out, 6, TYPE_SETTINGS, 0);
        out.writeShort(0x4); // SETTINGS_INITIAL_WINDOW_SIZE
        out.writeInt(MAX_WINDOW);
        frameHeader(out, 4, TYPE_WINDOW_UPDATE, 0);
        out.writeInt(MAX_WINDOW - 65_535);
        out.flush();
        DataInputStream in = new DataInputStream(secure.getInputStream());
        in.readFully(new byte[24]); // The client's connection preface.
        byte[] header = new byte[9];
        int seen = 0;
        while (seen < streams) {
          in.readFully(header);
          int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
          in.readFully(new byte[length]);
          if (header[3] == TYPE_HEADERS) {
            seen++;
            synchronized (headersMonitor) {
              headersRead = seen;
              headersMonitor.notifyAll();
            }
          }
        }
        // Reads nothing more: the client's writes fill the socket buffers and block.
        releasedByClient.complete(released.await(STALL_SECONDS, TimeUnit.SECONDS));
      }
    }

    private static void frameHeader(DataOutputStream out, int length, int type, int flags)
        throws IOException {
      out.writeByte(length >>> 16);
      out.writeShort(length & 0xffff);
      out.writeByte(type);
      out.writeByte(flags);
      out.writeInt(0);
    }

    boolean awaitHeaders(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      synchronized (headersMonitor) {
        while (headersRead < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(headersMonitor, left);
        }
        return true;
      }
    }

    int headersRead() {
      synchronized (headersMonitor) {
        return headersRead;
      }
    }

    /** Lets the stalled conversation end. */
    void release() {
      released.countDown();
    }

    /** Waits for the stall to end; returns true if the test, not the peer's own timeout, ended it. */
    boolean releasedByClient() throws Exception {
      return releasedByClient.get(STALL_SECONDS + 10, TimeUnit.SECONDS);
    }

    int port() {
      return raw.port();
    }

    int acceptedCount() {
      return raw.acceptedCount();
    }

    String url(String path) {
      return "https://localhost:" + raw.port() + path;
    }

    @Override
    public void close() throws Exception {
      released.countDown();
      raw.close();
    }
  }
}
