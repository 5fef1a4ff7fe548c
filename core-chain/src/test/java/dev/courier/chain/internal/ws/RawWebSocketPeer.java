package dev.courier.chain.internal.ws;

import dev.courier.testing.LoopbackPeer;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * Plays a WebSocket server by hand on a {@link LoopbackPeer}, so that a test writes
 * exactly the bytes it wants: a broken handshake, frames no server may send, nothing at all. The
 * test thread drives it.
 */
final class RawWebSocketPeer implements Closeable {
  private final LoopbackPeer peer = LoopbackPeer.open();

  RawWebSocketPeer() throws IOException {}

  String url() {
    return peer.url("ws", "/socket");
  }

  String hostAndPort() {
    return peer.hostAndPort();
  }

  /** Accepts the next connection, waiting up to 10 seconds. */
  Connection accept() throws IOException {
    return new Connection(peer.accept());
  }

  @Override
  public void close() throws IOException {
    peer.close();
  }

  /** A frame the client sent, unmasked. */
  record Frame(boolean fin, int opcode, boolean masked, ByteString payload, int rsv) {
    int closeCode() {
      return ((payload.getByte(0) & 0xff) << 8) | (payload.getByte(1) & 0xff);
    }
  }

  /** One accepted connection. */
  static final class Connection {
    private final Socket socket;
    final BufferedSource in;
    final BufferedSink out;
    private String key;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = Okio.buffer(Okio.source(socket));
      this.out = Okio.buffer(Okio.sink(socket));
    }

    /** Reads the request head and returns its lines, request line first; remembers the key. */
    List<String> readRequestHead() throws IOException {
      List<String> lines = new ArrayList<>();
      for (String line = in.readUtf8LineStrict(); !line.isEmpty(); line = in.readUtf8LineStrict()) {
        lines.add(line);
        if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
          key = line.substring(18).trim();
        }
      }
      return lines;
    }

    /** Reads the request and answers with a correct 101 handshake. */
    Connection handshake() throws IOException {
      return handshake("");
    }

    /** Reads the request and answers with a correct 101 handshake plus {@code extraHeaders}. */
    Connection handshake(String extraHeaders) throws IOException {
      readRequestHead();
      return answer(extraHeaders);
    }

    /** Answers the request already read with a correct 101 handshake plus {@code extraHeaders}. */
    Connection answer(String extraHeaders) throws IOException {
      return write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + WebSocketProtocol.acceptHeader(key)
          + "\r\n" + extraHeaders + "\r\n");
    }

    Connection write(String utf8) throws IOException {
      out.writeUtf8(utf8).flush();
      return this;
    }

    Connection write(ByteString bytes) throws IOException {
      out.write(bytes).flush();
      return this;
    }

    /** Writes one unmasked frame with the given first byte and payload. */
    Connection writeFrame(int b0, ByteString payload) throws IOException {
      Buffer frame = new Buffer().writeByte(b0);
      if (payload.size() < 126) {
        frame.writeByte(payload.size());
      } else if (payload.size() <= 0xffff) {
        frame.writeByte(126).writeShort(payload.size());
      } else {
        frame.writeByte(127).writeLong(payload.size());
      }
      frame.write(payload);
      out.writeAll(frame);
      out.flush();
      return this;
    }

    /** Reads the next frame the client sent, and unmasks it. */
    Frame readFrame() throws IOException {
      int b0 = in.readByte() & 0xff;
      int b1 = in.readByte() & 0xff;
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readShort() & 0xffff;
      } else if (length == 127) {
        length = in.readLong();
      }
      boolean masked = (b1 & 0x80) != 0;
      byte[] mask = masked ? in.readByteArray(4) : new byte[4];
      byte[] payload = in.readByteArray(length);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      return new Frame((b0 & 0x80) != 0, b0 & 0x0f, masked, ByteString.of(payload), b0 & 0x70);
    }

    /** Returns true if the client closed the connection: the next read finds its end. */
    boolean clientClosed() throws IOException {
      return in.exhausted();
    }

    void close() throws IOException {
      socket.close();
    }
  }
}
