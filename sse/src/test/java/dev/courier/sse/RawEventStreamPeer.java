package dev.courier.sse;

import dev.courier.testing.LoopbackPeer;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays an HTTP/1.1 event-stream server by hand on a {@link LoopbackPeer}, so a test
 * can write exactly the bytes it wants, when it wants, and break the connection at any point.
 * The test thread drives it: accept, read the request head, write, close.
 */
final class RawEventStreamPeer implements Closeable {
  private final LoopbackPeer peer = LoopbackPeer.open();

  RawEventStreamPeer() throws IOException {}

  String url() {
    return peer.url("/events");
  }

  String hostAndPort() {
    return peer.hostAndPort();
  }

  /** Accepts the next connection, waiting up to 10 seconds. */
  Connection accept() throws IOException {
    return new Connection(peer.accept());
  }

  /** Returns how many connections were accepted. */
  int acceptedCount() {
    return peer.acceptedCount();
  }

  @Override
  public void close() throws IOException {
    peer.close();
  }

  /** One accepted connection. */
  static final class Connection {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      this.out = socket.getOutputStream();
    }

    /** Reads the request head and returns its lines, request line first. */
    List<String> readRequestHead() throws IOException {
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        lines.add(line);
      }
      return lines;
    }

    /** Writes a 200 event-stream head whose body ends when the connection closes. */
    Connection writeEventStreamHead() throws IOException {
      return write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
    }

    Connection write(String utf8) throws IOException {
      return write(utf8.getBytes(StandardCharsets.UTF_8));
    }

    Connection write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
      return this;
    }

    /** Closes the connection with a TCP reset instead of a FIN. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    void close() throws IOException {
      socket.close();
    }
  }
}
