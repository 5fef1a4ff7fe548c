package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the frames a client reads: {@link FrameReader} with {@link HpackReader} (one dynamic
 * table across the input), the checks {@link ResponseHeaders} applies to response heads and
 * trailers, settings, and connection-level flow control. The input is what the server sends
 * after its preface; streams 1, 3 and 5 stand for requests the client sent. Anything but an
 * {@link IOException} is a bug. Seeds live in {@code src/test/resources/fuzz/http2-frames}.
 */
class Http2FramesFuzzTest {
  private static final int MAX_HEADER_LIST_SIZE = 64 * 1024;
  private static final int CONNECTION_WINDOW_SIZE = 16 * 1024 * 1024;

  @Test
  void framesFailOnlyWithIOException() {
    FuzzResult result = Fuzzer.forTarget("http2-frames")
        .corpusResource("fuzz/http2-frames")
        .dictionary(
            bytes("000000040000000000"), // empty SETTINGS
            bytes("000000040100000000"), // SETTINGS ACK
            bytes("000004080000000001"), // WINDOW_UPDATE header, stream 1
            bytes("000000010500000001"), // empty HEADERS, END_STREAM | END_HEADERS, stream 1
            bytes("000000090400000001"), // empty CONTINUATION, END_HEADERS, stream 1
            bytes("000000000100000003"), // empty DATA, END_STREAM, stream 3
            bytes("00000403000000000100000008"), // RST_STREAM CANCEL, stream 1
            bytes("0000080700000000000000000000000000"), // GOAWAY
            bytes("88"), bytes("8c"), bytes("3fe11f"), bytes("20"), bytes("7fffffffff0f"),
            bytes("40"), bytes("00"), bytes("10"), bytes("ff"))
        .dictionary(":status", "content-length", "te", "trailers", "connection", "grpc-status")
        .allow(IOException.class)
        .build()
        .run(Http2FramesFuzzTest::readFrames);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static void readFrames(byte[] input) throws IOException {
    Buffer source = new Buffer().write(input);
    FrameReader reader = new FrameReader(source, MAX_HEADER_LIST_SIZE);
    ClientHandler handler = new ClientHandler();
    while (true) {
      try {
        if (!reader.nextFrame(handler)) {
          return;
        }
      } catch (StreamErrorException e) {
        handler.reset(e.streamId);
      }
    }
  }

  private static byte[] bytes(String hex) {
    return ByteString.decodeHex(hex).toByteArray();
  }

  /** Applies frames the way the reader loop does, minus threads and the application side. */
  private static final class ClientHandler implements FrameReader.Handler {
    private final ConnectionFlowControl flowControl = new ConnectionFlowControl(CONNECTION_WINDOW_SIZE);
    /** Streams the client opened, by id: true once the final response head arrived. */
    private final Map<Integer, Boolean> finalHeadReceived = new HashMap<>(Map.of(1, false, 3, false, 5, false));
    private final Buffer body = new Buffer();

    @Override
    public void data(int streamId, boolean endStream, BufferedSource source, int dataLength,
        int frameLength) throws IOException {
      flowControl.dataReceived(frameLength);
      source.require(dataLength);
      body.clear();
      source.read(body, dataLength);
      if (body.size() != dataLength) {
        throw new AssertionError("DATA of " + dataLength + " bytes yielded " + body.size());
      }
      flowControl.consumed(frameLength, false);
      if (endStream) {
        reset(streamId);
      }
    }

    @Override
    public void headers(int streamId, boolean endStream, HpackReader.Fields fields) throws IOException {
      Boolean finalHead = finalHeadReceived.get(streamId);
      if (finalHead == null || fields.exceedsLimit()) {
        return; // The reader loop resets unknown streams and oversized blocks without parsing.
      }
      if (finalHead) {
        ResponseHeaders.parseTrailers(fields, () -> "fuzz.example").toString();
      } else {
        ResponseHeaders.Head head = ResponseHeaders.parseHead(fields, () -> "fuzz.example");
        head.headers().toString();
        if (head.code() >= 200) {
          finalHeadReceived.put(streamId, true);
        }
      }
      if (endStream) {
        reset(streamId);
      }
    }

    @Override
    public void rstStream(int streamId, long errorCode) {
      ErrorCodes.describe(errorCode);
      reset(streamId);
    }

    @Override
    public void settings(Settings settings) {
      for (int i = 0; i < settings.size(); i++) {
        int id = settings.idAt(i);
        if (id == Settings.INITIAL_WINDOW_SIZE) {
          flowControl.peerInitialWindowSizeChanged((int) settings.get(id));
        }
      }
    }

    @Override
    public void settingsAck() {}

    @Override
    public void ping(boolean ack, long payload) {}

    @Override
    public void goAway(int lastStreamId, long errorCode, ByteString debugData) {
      ErrorCodes.describe(errorCode);
      debugData.utf8();
    }

    @Override
    public void windowUpdate(int streamId, long increment) throws IOException {
      if (streamId == 0) {
        flowControl.windowUpdate(increment);
      }
    }

    void reset(int streamId) {
      finalHeadReceived.remove(streamId);
    }
  }
}
