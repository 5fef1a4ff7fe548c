package dev.courier.testing.internal;

import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Writes one scripted response on an HTTP/2 stream as HEADERS, DATA and trailer frames through
 * Netty's frame codec, which applies the peer's flow control. Runs on the connection's event
 * loop; stops when the stream is reset.
 */
final class Http2ResponseWriter {
  private static final Set<String> CONNECTION_SPECIFIC_HEADERS =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

  private final Channel channel;
  private final Http2FrameStream stream;
  private final ScriptedResponse response;
  private final boolean headRequest;
  private final BooleanSupplier streamOpen;
  private final Runnable onDone;

  Http2ResponseWriter(Channel channel, Http2FrameStream stream, ScriptedResponse response, boolean headRequest,
      BooleanSupplier streamOpen, Runnable onDone) {
    this.channel = channel;
    this.stream = stream;
    this.response = response;
    this.headRequest = headRequest;
    this.streamOpen = streamOpen;
    this.onDone = onDone;
  }

  /** Writes a {@code 100 Continue} interim response on {@code stream}. */
  static void writeContinue(Channel channel, Http2FrameStream stream) {
    Http2Headers headers = new DefaultHttp2Headers().status("100");
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false).stream(stream));
  }

  /** Starts writing; faults that close the connection close it, with no GOAWAY. */
  void start() {
    Fault fault = response.fault();
    if (fault == Fault.CLOSE_AT_CONNECT || fault == Fault.CLOSE_AFTER_REQUEST) {
      channel.close();
      return;
    }
    if (fault == Fault.NO_RESPONSE) {
      return;
    }
    if (response.resetsStream() || response.raw() != null) {
      // Raw bytes cannot be expressed as frames; a reset is the closest honest failure.
      long errorCode = response.resetsStream() ? response.resetStreamErrorCode() : Http2Error.INTERNAL_ERROR.code();
      resetStream(errorCode);
      return;
    }
    try {
      for (ScriptedResponse.Informational interim : response.informational()) {
        Http2Headers headers = fields(interim.headers()).status(Integer.toString(interim.status()));
        channel.write(new DefaultHttp2HeadersFrame(headers, false).stream(stream));
      }
      channel.flush();
    } catch (IllegalArgumentException invalidHeader) {
      resetStream(Http2Error.INTERNAL_ERROR.code());
      return;
    }
    Pacer.schedule(channel, response.headersDelayNanos(), this::writeFinalResponse);
  }

  private void writeFinalResponse() {
    if (!streamOpen.getAsBoolean()) {
      return;
    }
    Http2Headers headers;
    try {
      headers = fields(response.headers()).status(Integer.toString(response.status()));
    } catch (IllegalArgumentException invalidHeader) {
      resetStream(Http2Error.INTERNAL_ERROR.code());
      return;
    }
    Fault fault = response.fault();
    byte[] body = headRequest ? new byte[0] : response.body();
    if (fault == Fault.CLOSE_MID_BODY) {
      body = Arrays.copyOf(body, body.length / 2);
    }
    boolean endStreamWithHeaders = body.length == 0 && response.trailers().isEmpty() && fault == null;
    ChannelFuture headersWritten =
        channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStreamWithHeaders).stream(stream));
    if (fault == Fault.CLOSE_AFTER_HEADERS) {
      headersWritten.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (fault == Fault.STALL) {
      return;
    }
    if (endStreamWithHeaders) {
      headersWritten.addListener(written -> finish());
      return;
    }
    byte[] bodyBytes = body;
    Pacer.schedule(channel, response.bodyDelayNanos(), () -> writeBody(bodyBytes, fault == Fault.CLOSE_MID_BODY));
  }

  private void writeBody(byte[] body, boolean closeAfter) {
    boolean trailers = !response.trailers().isEmpty();
    Runnable afterData = closeAfter ? channel::close : trailers ? this::writeTrailers : this::finish;
    if (body.length == 0) {
      afterData.run();
      return;
    }
    long sliceBytes = response.throttleBytesPerPeriod() > 0 ? response.throttleBytesPerPeriod() : response.maxChunkSize();
    boolean endStreamWithData = !trailers && !closeAfter;
    Pacer.write(channel, streamOpen, body.length, sliceBytes, response.throttlePeriodNanos(),
        (offset, length, last) -> channel.writeAndFlush(
            new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body, offset, length), last && endStreamWithData)
                .stream(stream)),
        afterData,
        () -> {});
  }

  private void writeTrailers() {
    Http2Headers trailers;
    try {
      trailers = fields(response.trailers());
    } catch (IllegalArgumentException invalidTrailer) {
      resetStream(Http2Error.INTERNAL_ERROR.code());
      return;
    }
    channel.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true).stream(stream)).addListener(written -> finish());
  }

  private void resetStream(long errorCode) {
    channel.writeAndFlush(new DefaultHttp2ResetFrame(errorCode).stream(stream)).addListener(written -> finish());
  }

  private void finish() {
    onDone.run();
    if (response.goAwayAfter() && channel.isActive()) {
      channel.writeAndFlush(
          new DefaultHttp2GoAwayFrame(response.goAwayErrorCode()).setExtraStreamIds(response.goAwayLastStreamIdDelta()));
    }
  }

  /**
   * Returns the fields as HTTP/2 headers: names lower-cased, connection-specific fields dropped.
   *
   * @throws IllegalArgumentException if a name or value is not valid in HTTP/2
   */
  private static Http2Headers fields(List<Map.Entry<String, String>> fields) {
    Http2Headers headers = new DefaultHttp2Headers();
    for (Map.Entry<String, String> field : fields) {
      String name = field.getKey().toLowerCase(Locale.ROOT);
      if (!CONNECTION_SPECIFIC_HEADERS.contains(name)) {
        headers.add(name, field.getValue());
      }
    }
    return headers;
  }
}
