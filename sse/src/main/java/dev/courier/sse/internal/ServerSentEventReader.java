package dev.courier.sse.internal;

import dev.courier.sse.EventTooLargeException;
import java.io.IOException;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Interprets a {@code text/event-stream} body line by line, as the WHATWG HTML standard's "event
 * stream interpretation" specifies: UTF-8 with malformed bytes replaced, one leading byte order
 * mark ignored, lines ended by CRLF, LF or CR, fields {@code event}, {@code data}, {@code id} and
 * {@code retry}, comments, and an event dispatched at each blank line. An event that is not ended
 * by a blank line before the end of the stream is discarded.
 *
 * <p>A line is handed on as soon as its line end arrives; a CR is never held back to see whether
 * an LF follows. Not thread-safe: one reader per stream, used by one thread.
 */
public final class ServerSentEventReader {
  private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
  private static final int RETAINED_DATA_CAPACITY = 8 * 1024;

  /** Receives what the reader interprets, on the reading thread. */
  public interface Callback {
    /** Receives a dispatched event; {@code lastEventId} is empty when there is none. */
    void onEvent(String lastEventId, String type, String data);

    /** Receives a new reconnection time set by a {@code retry} field, in milliseconds. */
    void onRetryChange(long retryMillis);

    /** Receives a comment without its colon and one leading space. */
    void onComment(String comment);
  }

  private final BufferedSource source;
  private final Callback callback;
  private final long maxEventBytes;
  private final String peer;

  private StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String lastEventIdBuffer;
  private String lastEventId;
  private long eventBytes;
  private boolean firstLine = true;
  private boolean skipLineFeed;

  /**
   * Creates a reader of {@code source}.
   *
   * @param lastEventId the last event ID carried over from an earlier connection, or empty
   * @param maxEventBytes the largest event accepted, in bytes of its non-comment lines
   * @param peer the server's {@code host:port}, named in exception messages
   */
  public ServerSentEventReader(
      BufferedSource source, Callback callback, String lastEventId, long maxEventBytes, String peer) {
    this.source = Objects.requireNonNull(source, "source");
    this.callback = Objects.requireNonNull(callback, "callback");
    this.lastEventIdBuffer = Objects.requireNonNull(lastEventId, "lastEventId");
    this.lastEventId = lastEventId;
    this.maxEventBytes = maxEventBytes;
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  /**
   * Returns the last event ID as of the latest dispatch (an {@code id} field only counts once a
   * blank line ends its event); the empty string when there is none.
   */
  public String lastEventId() {
    return lastEventId;
  }

  /**
   * Reads and interprets one line, blocking until it is complete.
   *
   * @return false at the end of the stream, where any pending event is discarded
   * @throws EventTooLargeException if the current event or line exceeds the limit
   * @throws IOException if reading fails
   */
  public boolean processNextLine() throws IOException {
    String line = readLine();
    if (line == null) {
      return false;
    }
    processLine(line);
    return true;
  }

  private String readLine() throws IOException {
    Buffer buffer = source.getBuffer();
    if (skipLineFeed) {
      // The previous line ended with CR; an LF right after it belongs to the same line end.
      if (!source.request(1)) {
        return null;
      }
      if (buffer.getByte(0) == '\n') {
        buffer.skip(1);
      }
      skipLineFeed = false;
    }
    long scanned = 0;
    while (true) {
      long end = buffer.indexOfElement(LINE_ENDS, scanned);
      if (end != -1) {
        checkSize(end);
        String line = buffer.readUtf8(end);
        skipLineFeed = buffer.readByte() == '\r';
        if (firstLine) {
          firstLine = false;
          if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
          }
        }
        return line;
      }
      scanned = buffer.size();
      checkSize(scanned);
      if (!source.request(scanned + 1)) {
        return null;
      }
    }
  }

  private void checkSize(long lineBytes) throws EventTooLargeException {
    if (eventBytes + lineBytes > maxEventBytes) {
      throw new EventTooLargeException("event from " + peer + " is larger than the limit of " + maxEventBytes
          + " bytes (text/event-stream)");
    }
  }

  private void processLine(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      int start = line.length() > 1 && line.charAt(1) == ' ' ? 2 : 1;
      callback.onComment(line.substring(start));
      return;
    }
    // Counted in characters; within a factor of the byte count, which bounds memory all the same.
    eventBytes += line.length() + 1;
    int colon = line.indexOf(':');
    String field;
    String value;
    if (colon == -1) {
      field = line;
      value = "";
    } else {
      field = line.substring(0, colon);
      int valueStart = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
      value = line.substring(valueStart);
    }
    processField(field, value);
  }

  private void processField(String field, String value) {
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        data.append(value).append('\n');
        break;
      case "id":
        if (value.indexOf('\u0000') == -1) {
          lastEventIdBuffer = value;
        }
        break;
      case "retry":
        long retryMillis = parseDigits(value);
        if (retryMillis != -1) {
          callback.onRetryChange(retryMillis);
        }
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  /** Returns the value of an unsigned decimal integer of ASCII digits only, or -1. */
  private static long parseDigits(String value) {
    if (value.isEmpty()) {
      return -1;
    }
    long result = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (result > (Long.MAX_VALUE - (c - '0')) / 10) {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }

  private void dispatch() {
    lastEventId = lastEventIdBuffer;
    eventBytes = 0;
    if (data.length() == 0) {
      eventType = "";
      return;
    }
    data.setLength(data.length() - 1); // Every data line appended an LF; drop the last one.
    String type = eventType.isEmpty() ? "message" : eventType;
    String eventData = data.toString();
    if (data.capacity() > RETAINED_DATA_CAPACITY) {
      data = new StringBuilder();
    } else {
      data.setLength(0);
    }
    eventType = "";
    callback.onEvent(lastEventId, type, eventData);
  }
}
