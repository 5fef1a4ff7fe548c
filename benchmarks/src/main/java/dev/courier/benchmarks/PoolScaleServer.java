package dev.courier.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Answers every HTTP/1.1 request on many loopback ports with a fixed 2-byte 200, on one selector
 * thread, for {@link PoolScaleBenchmark}. It runs in its own JVM so that the client JVM's file
 * descriptors and CPU time are the client's alone. Prints its ports, space separated, on one line,
 * then serves until its standard input closes.
 *
 * <p>Requests must have no body; the server only counts the blank lines that end request heads.
 */
public final class PoolScaleServer {
  private static final byte[] RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

  private PoolScaleServer() {}

  /** Listens on {@code args[0]} ports of 127.0.0.1 chosen by the system. */
  public static void main(String[] args) throws IOException {
    int portCount = Integer.parseInt(args[0]);
    Selector selector = Selector.open();
    StringBuilder ports = new StringBuilder();
    for (int i = 0; i < portCount; i++) {
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      ports.append(i == 0 ? "" : " ").append(server.socket().getLocalPort());
    }
    System.out.println(ports);
    System.out.flush();
    Thread serving = new Thread(() -> serve(selector), "PoolScaleServer");
    serving.setDaemon(true);
    serving.start();
    while (System.in.read() != -1) {
      // Runs until the benchmark closes our standard input (or exits).
    }
    System.exit(0);
  }

  private static void serve(Selector selector) {
    ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
    try {
      while (true) {
        selector.select();
        for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
          SelectionKey key = keys.next();
          keys.remove();
          if (key.isAcceptable()) {
            SocketChannel channel;
            while ((channel = ((ServerSocketChannel) key.channel()).accept()) != null) {
              channel.configureBlocking(false);
              channel.register(selector, SelectionKey.OP_READ, new int[1]);
            }
          } else if (key.isReadable()) {
            read((SocketChannel) key.channel(), (int[]) key.attachment(), in, key);
          }
        }
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** Reads what arrived and answers each complete request head; {@code matched[0]} carries state. */
  private static void read(SocketChannel channel, int[] matched, ByteBuffer in, SelectionKey key)
      throws IOException {
    in.clear();
    int read;
    try {
      read = channel.read(in);
    } catch (IOException e) {
      read = -1;
    }
    if (read < 0) {
      key.cancel();
      channel.close();
      return;
    }
    in.flip();
    int responses = 0;
    while (in.hasRemaining()) {
      byte b = in.get();
      matched[0] = b == END_OF_HEAD[matched[0]] ? matched[0] + 1 : (b == '\r' ? 1 : 0);
      if (matched[0] == END_OF_HEAD.length) {
        matched[0] = 0;
        responses++;
      }
    }
    for (int i = 0; i < responses; i++) {
      ByteBuffer out = ByteBuffer.wrap(RESPONSE);
      while (out.hasRemaining()) {
        channel.write(out); // 70 bytes into an empty loopback send buffer: one write in practice.
      }
    }
  }
}
