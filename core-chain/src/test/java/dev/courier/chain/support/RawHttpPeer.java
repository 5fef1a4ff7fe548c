package dev.courier.chain.support;

import dev.courier.testing.LoopbackPeer;
import dev.courier.testing.RequestHeads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Serves loopback connections from raw sockets, running a script for each accepted connection,
 * so tests can send bytes that a real server never would. Counts the connections it accepted.
 * A connection is closed when its script returns. {@link #close()} closes everything, waits for
 * the threads and rethrows the first script failure.
 */
public final class RawHttpPeer implements AutoCloseable {
  /** Talks to one client over raw streams; {@code index} counts connections from 0. */
  @FunctionalInterface
  public interface Script {
    void run(int index, Socket socket, InputStream in, OutputStream out) throws Exception;
  }

  private final LoopbackPeer peer;

  private RawHttpPeer(Script script) throws IOException {
    peer = LoopbackPeer.open();
    peer.serve("RawHttpPeer-" + peer.port(), (index, socket) ->
        script.run(index, socket, socket.getInputStream(), socket.getOutputStream()));
  }

  /** Starts a peer that runs {@code script} on every connection. */
  public static RawHttpPeer start(Script script) throws IOException {
    return new RawHttpPeer(script);
  }

  /** Returns the port listened on. */
  public int port() {
    return peer.port();
  }

  /** Returns {@code host:port} as the client names this peer in messages. */
  public String peer() {
    return peer.hostAndPort();
  }

  /** Returns an http URL on this peer. */
  public String url(String path) {
    return peer.url(path);
  }

  /** Returns how many connections were accepted. */
  public int acceptedCount() {
    return peer.acceptedCount();
  }

  /** Reads a request head up to and including the blank line, as ISO-8859-1 text. */
  public static String readHead(InputStream in) throws IOException {
    return RequestHeads.read(in);
  }

  /** Writes {@code text} as UTF-8 and flushes. */
  public static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Blocks until the client closes the connection (or the peer is closed). */
  public static void awaitClientClose(InputStream in) throws IOException {
    byte[] discard = new byte[8192];
    try {
      while (in.read(discard) != -1) {
        // Discard whatever else the client sends.
      }
    } catch (IOException e) {
      // Closed by close() or reset by the client: either way the conversation is over.
    }
  }

  /**
   * Closes the listening socket and every connection, waits for the scripts' threads, and rethrows
   * the first failure of a script.
   */
  @Override
  public void close() throws Exception {
    peer.close();
  }
}
