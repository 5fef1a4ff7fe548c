package dev.courier.chain.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

  private final ServerSocket serverSocket;
  private final Script script;
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> handlers = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean closed;

  private RawHttpPeer(Script script) throws IOException {
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.acceptor = new Thread(this::acceptLoop, "RawHttpPeer-" + serverSocket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a peer that runs {@code script} on every connection. */
  public static RawHttpPeer start(Script script) throws IOException {
    return new RawHttpPeer(script);
  }

  /** Returns the port listened on. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** Returns {@code host:port} as the client names this peer in messages. */
  public String peer() {
    return "127.0.0.1:" + port();
  }

  /** Returns an http URL on this peer. */
  public String url(String path) {
    return "http://" + peer() + path;
  }

  /** Returns how many connections were accepted. */
  public int acceptedCount() {
    return accepted.get();
  }

  /** Reads a request head up to and including the blank line, as ISO-8859-1 text. */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("request head ended early: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
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

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      int index = accepted.getAndIncrement();
      sockets.add(socket);
      Thread handler = new Thread(() -> serve(index, socket), "RawHttpPeer-connection-" + index);
      handler.setDaemon(true);
      handlers.add(handler);
      handler.start();
    }
  }

  private void serve(int index, Socket socket) {
    try (socket) {
      script.run(index, socket, socket.getInputStream(), socket.getOutputStream());
    } catch (Throwable t) {
      if (!closed) {
        failure.compareAndSet(null, t);
      }
    }
  }

  @Override
  public void close() throws Exception {
    closed = true;
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    acceptor.join(5_000);
    for (Thread handler : handlers) {
      handler.join(5_000);
      if (handler.isAlive()) {
        throw new AssertionError(handler.getName() + " still running");
      }
    }
    Throwable t = failure.get();
    if (t instanceof Exception) {
      throw (Exception) t;
    }
    if (t != null) {
      throw new AssertionError(t);
    }
  }
}
