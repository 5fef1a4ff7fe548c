package dev.courier.sse;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays an HTTP/1.1 event-stream server by hand on a loopback {@link ServerSocket}, so a test
 * can write exactly the bytes it wants, when it wants, and break the connection at any point.
 * The test thread drives it: accept, read the request head, write, close.
 */
final class RawEventStreamPeer implements Closeable {
  private final ServerSocket serverSocket;
  private final List<Socket> accepted = new ArrayList<>();

  RawEventStreamPeer() throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serverSocket.setSoTimeout(10_000);
  }

  String url() {
    return "http://127.0.0.1:" + serverSocket.getLocalPort() + "/events";
  }

  String hostAndPort() {
    return "127.0.0.1:" + serverSocket.getLocalPort();
  }

  /** Accepts the next connection, waiting up to 10 seconds. */
  Connection accept() throws IOException {
    Socket socket = serverSocket.accept();
    socket.setSoTimeout(10_000);
    accepted.add(socket);
    return new Connection(socket);
  }

  /** Returns how many connections were accepted. */
  int acceptedCount() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    for (Socket socket : accepted) {
      socket.close();
    }
    serverSocket.close();
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
