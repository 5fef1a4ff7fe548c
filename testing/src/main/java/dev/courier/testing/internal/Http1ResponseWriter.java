package dev.courier.testing.internal;

import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes one scripted HTTP/1.1 response as bytes it composes itself: interim responses, status
 * line, headers, framed body, with the script's delays, throttling and faults. Runs on the
 * connection's event loop.
 */
final class Http1ResponseWriter {
  /** Receives the outcome once the response has been written completely. */
  interface Completion {
    /** Called when the whole response is on the wire; {@code keepOpen} false means close now. */
    void written(boolean keepOpen);
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private final Channel channel;
  private final ScriptedResponse response;
  private final boolean headRequest;
  private final Completion completion;

  Http1ResponseWriter(Channel channel, ScriptedResponse response, boolean headRequest, Completion completion) {
    this.channel = channel;
    this.response = response;
    this.headRequest = headRequest;
    this.completion = completion;
  }

  /** Starts writing; the completion is never called for faults that close or stall. */
  void start() {
    Fault fault = response.fault();
    if (fault == Fault.CLOSE_AT_CONNECT || fault == Fault.CLOSE_AFTER_REQUEST) {
      channel.close();
      return;
    }
    if (fault == Fault.NO_RESPONSE) {
      return;
    }
    if (!response.informational().isEmpty()) {
      for (ScriptedResponse.Informational interim : response.informational()) {
        channel.write(Unpooled.wrappedBuffer(head(interim.status(), interim.reason(), interim.headers())));
      }
      channel.flush();
    }
    Pacer.schedule(channel, response.headersDelayNanos(), this::writeFinalResponse);
  }

  /** Returns the bytes of a {@code 100 Continue} interim response. */
  static byte[] continueResponse() {
    return "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  private void writeFinalResponse() {
    byte[] raw = response.raw();
    if (raw != null) {
      boolean close = response.closeConnectionAfter() || response.fault() == Fault.CLOSE_MID_BODY;
      byte[] bytes = response.fault() == Fault.CLOSE_MID_BODY ? Arrays.copyOf(raw, raw.length / 2) : raw;
      writePaced(bytes, () -> completion.written(!close));
      return;
    }
    byte[] head = head(response.status(), response.reason(), response.headers());
    byte[] body = headRequest ? new byte[0] : framedBody();
    Fault fault = response.fault();
    if (fault == Fault.CLOSE_AFTER_HEADERS) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(head)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (fault == Fault.STALL) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(head));
      return;
    }
    if (fault == Fault.CLOSE_MID_BODY) {
      body = Arrays.copyOf(body, body.length / 2);
    }
    boolean close = fault == Fault.CLOSE_MID_BODY || response.closeConnectionAfter() || response.closeDelimited();
    Runnable finish = () -> completion.written(!close);
    if (response.bodyDelayNanos() == 0 && response.throttleBytesPerPeriod() == 0) {
      // Head and body in one write, so small responses leave in one segment.
      channel.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(written -> {
        if (written.isSuccess()) {
          finish.run();
        }
      });
      return;
    }
    channel.writeAndFlush(Unpooled.wrappedBuffer(head));
    byte[] bodyBytes = body;
    Pacer.schedule(channel, response.bodyDelayNanos(), () -> writePaced(bodyBytes, finish));
  }

  private void writePaced(byte[] bytes, Runnable onWritten) {
    Pacer.write(channel, channel::isActive, bytes.length, response.throttleBytesPerPeriod(),
        response.throttlePeriodNanos(),
        (offset, length, last) -> channel.writeAndFlush(Unpooled.wrappedBuffer(bytes, offset, length)),
        onWritten, channel::close);
  }

  /** Returns the body as it goes on the wire: plain, or chunk-framed with trailers. */
  private byte[] framedBody() {
    byte[] body = response.body();
    if (!response.chunked()) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    for (int offset = 0; offset < body.length; offset += response.maxChunkSize()) {
      int length = Math.min(response.maxChunkSize(), body.length - offset);
      out.writeBytes(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(CRLF);
      out.write(body, offset, length);
      out.writeBytes(CRLF);
    }
    out.writeBytes(new byte[] {'0', '\r', '\n'});
    writeFields(out, response.trailers());
    out.writeBytes(CRLF);
    return out.toByteArray();
  }

  /** Returns a status line and header block, ending with the empty line. */
  static byte[] head(int status, String reason, List<Map.Entry<String, String>> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(("HTTP/1.1 " + status + " " + reason).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(CRLF);
    writeFields(out, headers);
    out.writeBytes(CRLF);
    return out.toByteArray();
  }

  private static void writeFields(ByteArrayOutputStream out, List<Map.Entry<String, String>> fields) {
    for (Map.Entry<String, String> field : fields) {
      out.writeBytes((field.getKey() + ": " + field.getValue()).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(CRLF);
    }
  }
}
