package dev.courier.testing.internal;

import dev.courier.testing.FaultPoint;
import dev.courier.testing.internal.Http2FrameIo.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves HTTP/2 (h2 after ALPN, or h2c with prior knowledge) on one connection of a
 * fault-injection server. It writes every frame itself and parses the client's preface,
 * SETTINGS, PING, HEADERS, CONTINUATION, DATA and RST_STREAM just enough to know when each
 * request has arrived; header blocks are coded with Netty's HPACK encoder and decoder.
 *
 * <p>The server sends an empty SETTINGS frame, acknowledges the client's, answers PINGs and
 * returns request body bytes to the client's flow-control windows as they arrive. A request is
 * complete at END_STREAM; only then is its fault acted on. Runs on the connection's own thread;
 * not thread-safe.
 */
public final class Http2FaultConnection {
  private static final byte[] OK_BODY = "ok".getBytes(StandardCharsets.US_ASCII);

  private final FaultSocket socket;
  private final int connection;
  private final FaultExchanges exchanges;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  /** Faults of the streams whose request has not ended yet, by stream id. */
  private final Map<Integer, FaultPoint> openStreams = new HashMap<>();
  private Http2FrameIo frames;
  private int requestCount;

  /** Creates a handler for {@code socket}, the {@code connection}th the server accepted. */
  public Http2FaultConnection(FaultSocket socket, int connection, FaultExchanges exchanges) {
    this.socket = socket;
    this.connection = connection;
    this.exchanges = exchanges;
  }

  /**
   * Serves streams until the client closes the connection or a fault ends it.
   *
   * @throws IOException if reading or writing fails, or the client breaks the protocol in a way
   *     this server notices
   */
  public void serve() throws IOException {
    frames = new Http2FrameIo(socket.in(), socket.out());
    frames.write(Http2FrameIo.SETTINGS, 0, 0, new byte[0]);
    if (!frames.readPreface()) {
      return;
    }
    for (Frame frame; (frame = frames.read()) != null; ) {
      if (!onFrame(frame)) {
        return;
      }
    }
  }

  /** Handles one frame; returns false if the connection ended. */
  private boolean onFrame(Frame frame) throws IOException {
    switch (frame.type()) {
      case Http2FrameIo.SETTINGS:
        if (!frame.hasFlag(Http2FrameIo.FLAG_ACK)) {
          frames.write(Http2FrameIo.SETTINGS, Http2FrameIo.FLAG_ACK, 0, new byte[0]);
        }
        return true;
      case Http2FrameIo.PING:
        if (!frame.hasFlag(Http2FrameIo.FLAG_ACK)) {
          frames.write(Http2FrameIo.PING, Http2FrameIo.FLAG_ACK, 0, frame.payload());
        }
        return true;
      case Http2FrameIo.HEADERS:
        return onHeaders(frame);
      case Http2FrameIo.DATA:
        return onData(frame);
      case Http2FrameIo.RST_STREAM:
        openStreams.remove(frame.streamId());
        exchanges.streamReset(connection, frame.streamId());
        return true;
      case Http2FrameIo.CONTINUATION:
        throw new ProtocolException("CONTINUATION without a HEADERS frame on stream " + frame.streamId());
      default:
        // WINDOW_UPDATE, PRIORITY, GOAWAY and unknown types need no answer from this server.
        return true;
    }
  }

  private boolean onHeaders(Frame first) throws IOException {
    int streamId = first.streamId();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(first.content());
    for (Frame frame = first; !frame.hasFlag(Http2FrameIo.FLAG_END_HEADERS); ) {
      frame = frames.read();
      if (frame == null || frame.type() != Http2FrameIo.CONTINUATION || frame.streamId() != streamId) {
        throw new ProtocolException("header block of stream " + streamId + " not continued");
      }
      block.writeBytes(frame.payload());
    }
    Http2Headers headers = decode(streamId, block.toByteArray());
    if (!openStreams.containsKey(streamId)) {
      // A new request; a second HEADERS on an open stream carries trailers.
      FaultPoint fault = exchanges.requestArrived(connection, streamId,
          String.valueOf(headers.method()), String.valueOf(headers.path()), ++requestCount);
      openStreams.put(streamId, fault);
    }
    return !first.hasFlag(Http2FrameIo.FLAG_END_STREAM) || requestEnded(streamId);
  }

  private boolean onData(Frame frame) throws IOException {
    int length = frame.payload().length;
    if (length > 0) {
      // Padding counts against flow control too; give it all back.
      frames.windowUpdate(0, length);
      if (!frame.hasFlag(Http2FrameIo.FLAG_END_STREAM) && openStreams.containsKey(frame.streamId())) {
        frames.windowUpdate(frame.streamId(), length);
      }
    }
    return !frame.hasFlag(Http2FrameIo.FLAG_END_STREAM) || requestEnded(frame.streamId());
  }

  /** Acts on the fault of the request just completed on {@code streamId}; false if the connection ended. */
  private boolean requestEnded(int streamId) throws IOException {
    FaultPoint fault = openStreams.remove(streamId);
    if (fault == null) {
      return true; // Reset by the client meanwhile, or never opened.
    }
    switch (fault) {
      case STALL:
        return true;
      case CLOSE_AFTER_REQUEST:
      case RESET_AFTER_REQUEST:
      case STALE_POOLED_CONNECTION:
        break;
      case CLOSE_AFTER_STATUS_LINE:
      case RESET_AFTER_STATUS_LINE:
        // The block holds :status only and lacks END_HEADERS: CONTINUATION frames should follow.
        frames.write(Http2FrameIo.HEADERS, 0, streamId, encode(streamId, new DefaultHttp2Headers().status("200")));
        break;
      case CLOSE_AFTER_HEADERS:
      case RESET_AFTER_HEADERS:
        writeHead(streamId, true, false);
        break;
      case CLOSE_MID_FIXED_LENGTH_BODY:
      case RESET_MID_FIXED_LENGTH_BODY:
        writeHead(streamId, true, false);
        frames.write(Http2FrameIo.DATA, 0, streamId, FaultBodies.HALF_BODY);
        break;
      case CLOSE_MID_CHUNKED_BODY:
      case RESET_MID_CHUNKED_BODY:
        writeHead(streamId, false, false);
        frames.write(Http2FrameIo.DATA, 0, streamId, FaultBodies.HALF_BODY);
        break;
      default:
        writeHead(streamId, false, true);
        frames.write(Http2FrameIo.DATA, Http2FrameIo.FLAG_END_STREAM, streamId, OK_BODY);
        return true;
    }
    socket.end(fault.resets(), fault.sendsPartialResponse());
    return false;
  }

  /**
   * Writes a complete response head: {@code content-length} 64 if {@code promiseBody}, 2 if
   * {@code ok}, none otherwise.
   */
  private void writeHead(int streamId, boolean promiseBody, boolean ok) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers().status("200").add("content-type", "text/plain");
    if (promiseBody) {
      headers.add("content-length", String.valueOf(FaultBodies.PROMISED_LENGTH));
    } else if (ok) {
      headers.add("content-length", String.valueOf(OK_BODY.length));
    }
    frames.write(Http2FrameIo.HEADERS, Http2FrameIo.FLAG_END_HEADERS, streamId, encode(streamId, headers));
  }

  private byte[] encode(int streamId, Http2Headers headers) throws IOException {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      return ByteBufUtil.getBytes(block);
    } catch (Http2Exception e) {
      throw new IOException("cannot encode response headers of stream " + streamId, e);
    } finally {
      block.release();
    }
  }

  private Http2Headers decode(int streamId, byte[] block) throws IOException {
    try {
      return decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(block));
    } catch (Http2Exception e) {
      throw new ProtocolException("cannot decode request headers of stream " + streamId + ": " + e.getMessage());
    }
  }
}
