package dev.courier.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Speaks HTTP/2 frame by frame over a socket, for checks the JDK client cannot make (prior
 * knowledge, trailers, interim responses, resets, GOAWAY, SETTINGS). Request headers are
 * encoded by hand as HPACK literals; response header blocks are decoded with Netty's decoder.
 */
final class RawHttp2Connection implements Closeable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private final Map<Integer, Long> serverSettings = new HashMap<>();

  private RawHttp2Connection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  static RawHttp2Connection openCleartext(TestServer server) throws IOException {
    return openCleartext(server.socketAddress());
  }

  static RawHttp2Connection openCleartext(InetSocketAddress address) throws IOException {
    return new RawHttp2Connection(new Socket(address.getAddress(), address.getPort()));
  }

  static RawHttp2Connection openTls(TestServer server, SSLContext context, String host) throws IOException {
    return openTls(server.socketAddress(), context, host);
  }

  static RawHttp2Connection openTls(InetSocketAddress address, SSLContext context, String host) throws IOException {
    Socket plain = new Socket(address.getAddress(), address.getPort());
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, address.getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    if (!"h2".equals(tls.getApplicationProtocol())) {
      throw new IOException("server did not select h2 but " + tls.getApplicationProtocol());
    }
    return new RawHttp2Connection(tls);
  }

  /** Sends a HEADERS frame with the given pseudo and regular fields, in order. */
  RawHttp2Connection headers(int streamId, boolean endStream, String... namesAndValues) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      block.write(0x00); // literal header field without indexing, new name
      hpackString(block, namesAndValues[i]);
      hpackString(block, namesAndValues[i + 1]);
    }
    frame(HEADERS, FLAG_END_HEADERS | (endStream ? FLAG_END_STREAM : 0), streamId, block.toByteArray());
    return this;
  }

  /** Sends a GET for {@code path} on {@code streamId}. */
  RawHttp2Connection get(int streamId, String path) throws IOException {
    return headers(streamId, true, ":method", "GET", ":scheme", "http", ":authority", "test", ":path", path);
  }

  RawHttp2Connection data(int streamId, byte[] bytes, boolean endStream) throws IOException {
    frame(DATA, endStream ? FLAG_END_STREAM : 0, streamId, bytes);
    return this;
  }

  void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(9);
    header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    header.put((byte) type).put((byte) flags).putInt(streamId);
    out.write(header.array());
    out.write(payload);
    out.flush();
  }

  /** Reads the next frame of any type. */
  Frame readAnyFrame() throws IOException {
    int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, streamId, payload);
  }

  /**
   * Reads the next frame that is not connection housekeeping: SETTINGS are recorded and
   * acknowledged, PING and WINDOW_UPDATE skipped.
   */
  Frame readFrame() throws IOException {
    while (true) {
      Frame frame = readAnyFrame();
      if (frame.type == SETTINGS) {
        if ((frame.flags & FLAG_ACK) == 0) {
          ByteBuffer settings = ByteBuffer.wrap(frame.payload);
          while (settings.remaining() >= 6) {
            serverSettings.put(settings.getShort() & 0xffff, settings.getInt() & 0xffffffffL);
          }
          frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
        }
      } else if (frame.type != PING && frame.type != WINDOW_UPDATE) {
        return frame;
      }
    }
  }

  /** Returns the SETTINGS values the server sent so far, by setting id. */
  Map<Integer, Long> serverSettings() {
    return serverSettings;
  }

  Http2Headers decode(Frame headersFrame) throws IOException {
    try {
      return decoder.decodeHeaders(headersFrame.streamId, Unpooled.wrappedBuffer(headersFrame.payload));
    } catch (Http2Exception e) {
      throw new IOException(e);
    }
  }

  /** Reads frames until {@code streamId} ends (END_STREAM or RST_STREAM), granting window as DATA arrives. */
  Response readResponse(int streamId) throws IOException {
    Response response = new Response();
    while (true) {
      Frame frame = readFrame();
      if (frame.streamId != streamId) {
        response.otherFrames.add(frame);
        continue;
      }
      if (frame.type == HEADERS) {
        Http2Headers headers = decode(frame);
        if (response.headers == null && headers.status() != null && headers.status().charAt(0) == '1') {
          response.informational.add(headers);
        } else if (response.headers == null) {
          response.headers = headers;
        } else {
          response.trailers = headers;
        }
      } else if (frame.type == DATA) {
        response.dataFrameSizes.add(frame.payload.length);
        response.body.write(frame.payload);
        if (frame.payload.length > 0) {
          windowUpdate(0, frame.payload.length);
          windowUpdate(streamId, frame.payload.length);
        }
      } else if (frame.type == RST_STREAM) {
        response.resetErrorCode = ByteBuffer.wrap(frame.payload).getInt() & 0xffffffffL;
        return response;
      }
      if ((frame.flags & FLAG_END_STREAM) != 0) {
        return response;
      }
    }
  }

  void windowUpdate(int streamId, int increment) throws IOException {
    frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
  }

  /** Returns whether the server closed the connection, waiting up to the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        readAnyFrame();
      }
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Returns whether no frame other than housekeeping arrives within {@code millis}. */
  boolean silentFor(int millis) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      readFrame();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static void hpackString(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int length = bytes.length;
    if (length < 127) {
      block.write(length);
    } else {
      block.write(127);
      length -= 127;
      while (length >= 128) {
        block.write((length & 0x7f) | 0x80);
        length >>>= 7;
      }
      block.write(length);
    }
    block.writeBytes(bytes);
  }

  record Frame(int type, int flags, int streamId, byte[] payload) {}

  static final class Response {
    final List<Http2Headers> informational = new ArrayList<>();
    Http2Headers headers;
    Http2Headers trailers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<Integer> dataFrameSizes = new ArrayList<>();
    final List<Frame> otherFrames = new ArrayList<>();
    long resetErrorCode = -1;

    String status() {
      return headers == null ? null : headers.status().toString();
    }

    String bodyUtf8() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }
}
