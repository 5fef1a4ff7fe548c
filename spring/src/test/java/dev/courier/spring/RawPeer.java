package dev.courier.spring;

import dev.courier.testing.LoopbackPeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A raw HTTP/1.1 peer on a {@link LoopbackPeer} that serves one connection with a script, for steps the
 * Netty test server cannot pace: waiting for the client between parts of a body.
 */
final class RawPeer implements AutoCloseable {
  /** What the peer does with its one connection. */
  interface Script {
    void run(Connection connection) throws Exception;
  }

  private final LoopbackPeer peer = LoopbackPeer.open();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  RawPeer(Script script) throws IOException {
    peer.serve("raw peer", 1, (index, socket) -> {
      try {
        script.run(new Connection(socket));
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
  }

  String url(String path) {
    return peer.url(path);
  }

  /** Waits for the script to finish and rethrows what it threw. */
  void awaitDone() throws Exception {
    done.get(20, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    peer.close();
  }

  /** One accepted connection, read as text. */
  static final class Connection {
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    Connection(Socket socket) throws IOException {
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** Reads until everything received so far contains {@code text}; returns all of it. */
    String readUntil(String text) throws IOException {
      while (!received.toString(StandardCharsets.ISO_8859_1).contains(text)) {
        int b = in.read();
        if (b == -1) {
          throw new IOException("the client closed before sending " + text);
        }
        received.write(b);
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** Waits until the client closes the connection. */
    void awaitClose() throws IOException {
      while (in.read() != -1) {
        // Discard.
      }
    }
  }
}
