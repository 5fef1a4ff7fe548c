package dev.courier.chain;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 peer on a Unix domain socket, built on the JDK's channels: for each request
 * it reads the head (and a body of the stated Content-Length), records it, and answers with the
 * next scripted reply, written as raw bytes so that a test can make it misbehave. A {@code null}
 * reply closes the connection without answering; a reply of {@link #STALL} answers nothing and
 * keeps the connection open until the peer closes.
 */
final class UnixSocketPeer implements Closeable {
  /** A reply that never comes. */
  static final String STALL = "<stall>";

  private final Path path;
  private final ServerSocketChannel server;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  UnixSocketPeer(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    this.acceptor = new Thread(this::acceptLoop, "UnixSocketPeer acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path path() {
    return path;
  }

  /** Queues a raw reply, such as {@code "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"}. */
  UnixSocketPeer enqueue(String reply) {
    replies.add(reply == null ? "" : reply);
    return this;
  }

  /** Queues a well-formed 200 reply with {@code body}. */
  UnixSocketPeer enqueueOk(String body) {
    return enqueue("HTTP/1.1 200 OK\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\nContent-Type: text/plain\r\n\r\n" + body);
  }

  /** Returns the request heads (and bodies) received, in order. */
  List<String> requests() {
    return requests;
  }

  /** Returns how many connections were accepted. */
  int connectionCount() {
    return connections.get();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        connections.incrementAndGet();
        accepted.add(channel);
        Thread handler = new Thread(() -> serve(channel), "UnixSocketPeer connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // Closed.
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      while (true) {
        String request = readRequest(channel);
        if (request == null) {
          return;
        }
        requests.add(request);
        String reply = replies.poll(5, TimeUnit.SECONDS);
        if (reply == null || reply.isEmpty()) {
          return; // Close without answering.
        }
        if (reply.equals(STALL)) {
          while (channel.read(ByteBuffer.allocate(1)) >= 0) {
            // Wait for the client to give up.
          }
          return;
        }
        ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
          channel.write(out);
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client went away; nothing to answer.
    }
  }

  /** Reads one request head and its Content-Length body; null at the end of the stream. */
  private static String readRequest(SocketChannel channel) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!endsWithBlankLine(head)) {
      one.clear();
      if (channel.read(one) < 0) {
        return null;
      }
      head.write(one.get(0));
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    while (body.hasRemaining()) {
      if (channel.read(body) < 0) {
        return null;
      }
    }
    return text + new String(body.array(), StandardCharsets.UTF_8);
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] bytes = head.toByteArray();
    int n = bytes.length;
    return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel channel : accepted) {
      channel.close();
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(path);
  }
}
