package dev.courier.http1;

import dev.courier.testing.LoopbackPeer;
import dev.courier.testing.RequestHeads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Serves one loopback connection by running a script against its raw streams, so tests can send
 * bytes that a real server never would. The connection is closed when the script returns, unless
 * the script calls {@link #holdOpen()}. Any script failure is rethrown by {@link #close()}. The
 * listening, the script's thread and the clean-up are a {@link LoopbackPeer}'s.
 */
final class RawServer implements AutoCloseable {
  /** Talks to one client over raw streams. */
  @FunctionalInterface
  interface Script {
    void run(InputStream in, OutputStream out) throws Exception;
  }

  private final LoopbackPeer peer;
  private final CountDownLatch released = new CountDownLatch(1);

  private RawServer(Script script) throws IOException {
    peer = LoopbackPeer.open();
    peer.serve("RawServer-" + peer.port(), 1, (index, socket) -> {
      CURRENT.set(this);
      script.run(socket.getInputStream(), socket.getOutputStream());
    });
  }

  /** Starts a server that runs {@code script} on the first connection. */
  static RawServer serve(Script script) throws IOException {
    return new RawServer(script);
  }

  /** Starts a server that reads one request head and answers with {@code response}, then closes. */
  static RawServer respond(String response) throws IOException {
    return serve((in, out) -> {
      readHead(in);
      out.write(response.getBytes(StandardCharsets.UTF_8));
      out.flush();
    });
  }

  /** Starts a server that reads one request head, answers with {@code response} and keeps the socket open. */
  static RawServer respondAndHold(String response) throws IOException {
    return serve((in, out) -> {
      readHead(in);
      out.write(response.getBytes(StandardCharsets.UTF_8));
      out.flush();
      holdOpenUntilClosed();
    });
  }

  int port() {
    return peer.port();
  }

  String host() {
    return "127.0.0.1";
  }

  /** Reads a request head up to and including the blank line, returned as ISO-8859-1 text. */
  static String readHead(InputStream in) throws IOException {
    return RequestHeads.read(in);
  }

  /** Reads exactly {@code count} bytes. */
  static byte[] readBytes(InputStream in, int count) throws IOException {
    byte[] result = in.readNBytes(count);
    if (result.length != count) {
      throw new IOException("expected " + count + " bytes but got " + result.length);
    }
    return result;
  }

  /** Blocks the script until the server is closed, keeping the connection open. */
  private static void holdOpenUntilClosed() throws InterruptedException {
    RawServer server = CURRENT.get();
    server.released.await(30, TimeUnit.SECONDS);
  }

  /** Keeps the connection open until {@link #close()}; call from a script. */
  static void holdOpen() throws InterruptedException {
    holdOpenUntilClosed();
  }

  private static final ThreadLocal<RawServer> CURRENT = new ThreadLocal<>();

  /** Closes the listener and the connection, waits for the script thread, and rethrows its failure. */
  @Override
  public void close() throws IOException {
    released.countDown();
    peer.close();
  }
}
