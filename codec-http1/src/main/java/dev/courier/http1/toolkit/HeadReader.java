package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.internal.CheckedHeaders;
import dev.courier.http1.internal.CommonHeaderStrings;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads HTTP/1 status lines and header sections (RFC 9112 §4 and §5) straight from a connection's
 * buffered source, without copying lines into intermediate strings.
 *
 * <p>Each head (status line plus header fields) may take at most {@link Http1Limits#maxHeadBytes()}
 * bytes and each trailer section {@link Http1Limits#maxTrailerBytes()}, line ends included; a head
 * beyond its limit fails with a {@link ProtocolException}. Line endings may be CRLF or a bare LF. An obsolete line fold
 * (a field line starting with a space or tab) is joined to the previous field's value with one
 * space, as RFC 9112 §5.2 asks of user agents. Field values are kept leniently, as received,
 * minus surrounding whitespace, except that a NUL or a CR not followed by LF anywhere in the
 * status line or a field line is refused (RFC 9110 §5.5): such bytes have no safe meaning and
 * could smuggle a field past a checker that splits lines differently.
 *
 * <p>Every failure names the peer given to the constructor. A connection whose head failed to
 * parse must not carry another exchange: the reader consumed an unknown part of the stream. Not
 * thread-safe: one exchange at a time uses it; a connection keeps one reader for all its
 * exchanges, which allocates nothing per head beyond the strings and {@link Headers} it returns.
 */
public final class HeadReader {
  private static final ByteString HTTP_1_PREFIX = ByteString.encodeUtf8("HTTP/1.");
  private static final byte[] HTTP_1_PREFIX_BYTES = HTTP_1_PREFIX.toByteArray();
  private static final int STATUS_LINE_MIN_LENGTH = 12; // "HTTP/1.1 200"
  private static final StatusLine HTTP_1_1_200_OK = new StatusLine(Protocol.HTTP_1_1, 200, "OK");
  /** The size of the per-connection array heads are copied into; package-private for tests. */
  static final int SCRATCH_SIZE = 512;
  /** Room for the names and values of ten fields, a typical response head. */
  private static final int FIELDS_CAPACITY = 20;

  private final BufferedSource source;
  private final Buffer buffer;
  private final String peer;
  private final Http1Limits limits;
  /**
   * The status line, if shorter than this array, is moved into it with one bulk read; the header
   * fields are copied into it (up to its size, without being consumed) with one copy out of the
   * buffer's segments, and every line that fits is parsed there by array indexing rather than
   * through a handful of calls into the buffer per line. Small, as every pooled connection keeps
   * one; a line that does not fit is parsed in the buffer, and the array is filled again after it.
   */
  private final byte[] scratch = new byte[SCRATCH_SIZE];
  private final Buffer.UnsafeCursor cursor = new Buffer.UnsafeCursor();
  /** Of the header section being read: the bytes of {@link #scratch} parsed, and the bytes copied. */
  private int scratchPos;
  private int scratchEnd;
  /**
   * The names and values of a head being read, copied into its {@link Headers}: reused while a
   * head fits, a larger array made for a head that does not.
   */
  private final String[] fields = new String[FIELDS_CAPACITY];
  private int lineColon; // Of the field line in scratch, set by fieldName() for its value.
  /** Of the line found by {@link #lineEndInScratch()}: true if it holds no NUL nor bare CR. */
  private boolean lineChecked;
  /** Of the line found by {@link #lineEndInScratch()}: true if it holds no byte above 0x7F. */
  private boolean lineAscii;
  private long limit;
  private long bytesLeft;
  private String section = "Response head";

  /**
   * Creates a reader over {@code source} with the {@linkplain Http1Limits#DEFAULT default limits}.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   */
  public HeadReader(BufferedSource source, String peer) {
    this(source, peer, Http1Limits.DEFAULT);
  }

  /**
   * Creates a reader over {@code source} that applies {@code limits}.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   */
  public HeadReader(BufferedSource source, String peer, Http1Limits limits) {
    this.source = Objects.requireNonNull(source, "source == null");
    this.buffer = source.getBuffer();
    this.peer = Objects.requireNonNull(peer, "peer == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
    this.limit = limits.maxHeadBytes();
    this.bytesLeft = limit;
  }

  /** Returns the limits this reader applies. */
  public Http1Limits limits() {
    return limits;
  }

  /** Returns the description of the peer used in error messages. */
  public String peer() {
    return peer;
  }

  /**
   * Reads a status line, starting a new head with a fresh byte limit.
   *
   * @throws ProtocolException if the line is not an HTTP/1.0 or HTTP/1.1 status line, holds a NUL
   *     or a bare CR, or the head limit is exceeded
   * @throws IOException if the stream ends first, with a message naming the server
   */
  public StatusLine readStatusLine() throws IOException {
    limit = limits.maxHeadBytes();
    bytesLeft = limit;
    section = "Response head";
    long newline = nextLineEnd();
    if (newline < scratch.length) {
      int lf = (int) newline;
      readLine(lf + 1);
      return statusLine(lf > 0 && scratch[lf - 1] == '\r' ? lf - 1 : lf);
    }
    long end = contentEnd(newline);
    checkNoForbiddenBytes(newline, end, "status line");
    int code = statusCode(end);
    if (code == -1) {
      throw malformedLine(newline, end, "Unexpected status line");
    }
    Protocol protocol = buffer.getByte(7) == '1' ? Protocol.HTTP_1_1 : Protocol.HTTP_1_0;
    String message;
    if (end == STATUS_LINE_MIN_LENGTH + 3 && buffer.getByte(13) == 'O' && buffer.getByte(14) == 'K') {
      buffer.skip(newline + 1);
      if (code == 200 && protocol == Protocol.HTTP_1_1) {
        return HTTP_1_1_200_OK; // The line of nearly every response: one shared, immutable instance.
      }
      message = "OK";
    } else {
      message = readTrimmed(Math.min(end, STATUS_LINE_MIN_LENGTH + 1), end, newline);
    }
    return new StatusLine(protocol, code, message);
  }

  /**
   * Reads header fields up to and including the empty line that ends them, counting against the
   * limit of the head begun by {@link #readStatusLine()}.
   *
   * @throws ProtocolException if a field line is malformed, holds a NUL or a bare CR, or the head
   *     limit is exceeded
   * @throws IOException if the stream ends first
   */
  public Headers readHeaders() throws IOException {
    // Names and values alternate; each was checked for NUL and CR as it was read (a LF ends the
    // line), so they become Headers without Headers.Builder checking them again.
    String[] fields = this.fields;
    int size = 0;
    String pendingName = null;
    String pendingValue = null;
    fillScratch();
    try {
      while (true) {
        int start = scratchPos;
        int lf = lineEndInScratch();
        long newline = -1L;
        if (lf == -1) {
          // The copy ends inside this line: consume what was parsed, wait for the line whole, and
          // copy again if it fits; else parse it in the buffer.
          buffer.skip(start);
          scratchPos = 0;
          scratchEnd = 0;
          newline = nextLineEnd();
          start = 0;
          if (newline < scratch.length) {
            fillScratch();
            lf = (int) newline;
            scratchPos = lf + 1;
            newline = -1L;
            lineChecked = false; // Its strings are checked as they are made.
            lineAscii = false;
          }
        }
        if (newline == -1L) {
          byte[] bytes = scratch;
          int end = lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
          if (end == start) {
            break;
          }
          byte first = bytes[start];
          if (first == ' ' || first == '\t') {
            if (pendingName == null) {
              checkNoForbiddenBytes(bytes, start, end, "field line");
              throw new ProtocolException("Unexpected continuation line from " + peer + ": "
                  + new String(bytes, start, end - start, StandardCharsets.UTF_8));
            }
            pendingValue = joinFolded(pendingValue, trimmedValue(bytes, start, end));
            continue;
          }
          if (pendingName != null) {
            fields = withField(fields, size, pendingName, pendingValue);
            size += 2;
          }
          pendingName = fieldName(bytes, start, end);
          pendingValue = trimmedValue(bytes, lineColon + 1, end);
          continue;
        }
        // A line longer than the scratch array, parsed in the buffer; the array is filled again after.
        long end = contentEnd(newline);
        byte first = buffer.getByte(0);
        if (first == ' ' || first == '\t') {
          if (pendingName == null) {
            checkNoForbiddenBytes(newline, end, "field line");
            throw malformedLine(newline, end, "Unexpected continuation line");
          }
          pendingValue = joinFolded(pendingValue, readTrimmed(0, end, newline));
          fillScratch();
          continue;
        }
        if (pendingName != null) {
          fields = withField(fields, size, pendingName, pendingValue);
          size += 2;
        }
        long colon = buffer.indexOf((byte) ':', 0, end);
        long nameEnd = colon;
        while (nameEnd > 0 && isWhitespace(buffer.getByte(nameEnd - 1))) {
          nameEnd--;
        }
        if (colon == -1L || nameEnd <= 0) {
          checkNoForbiddenBytes(newline, end, "field line");
          throw malformedLine(newline, end, "Unexpected header line");
        }
        pendingName = CommonHeaderStrings.name(buffer, 0L, nameEnd);
        if (pendingName == null) {
          pendingName = buffer.readUtf8(nameEnd);
          if (hasForbiddenChar(pendingName)) {
            buffer.skip(newline + 1 - nameEnd);
            throw forbiddenChar(pendingName, "field line");
          }
        } else {
          buffer.skip(nameEnd);
        }
        // Offsets shift left by the name's length once it is consumed.
        pendingValue = readTrimmed(colon + 1 - nameEnd, end - nameEnd, newline - nameEnd);
        fillScratch();
      }
    } finally {
      // Consumes the lines parsed in the array, the failing one included if one failed there.
      buffer.skip(scratchPos);
      scratchPos = 0;
      scratchEnd = 0;
    }
    if (pendingName != null) {
      fields = withField(fields, size, pendingName, pendingValue);
      size += 2;
    }
    return CheckedHeaders.of(fields, size);
  }

  /**
   * Returns {@code fields} with {@code name} and {@code value} put at {@code size}, in a copy twice
   * as large if it is full.
   */
  private static String[] withField(String[] fields, int size, String name, String value) {
    String[] result = size == fields.length ? Arrays.copyOf(fields, size * 2) : fields;
    result[size] = name;
    result[size + 1] = value;
    return result;
  }

  /** Returns an obsolete fold's continuation joined to the value it continues. */
  private static String joinFolded(String value, String continuation) {
    return value.isEmpty() ? continuation
        : continuation.isEmpty() ? value
        : value + ' ' + continuation;
  }

  /**
   * Copies the buffer's first bytes, as many as it holds up to the scratch array's size, into that
   * array without consuming them: one copy per segment, usually one for a whole head.
   */
  private void fillScratch() {
    int want = (int) Math.min(buffer.size(), scratch.length);
    int copied = 0;
    if (want > 0) {
      Buffer.UnsafeCursor segments = buffer.readUnsafe(cursor);
      try {
        for (int count = segments.seek(0L); ; count = segments.next()) {
          int take = Math.min(count, want - copied);
          System.arraycopy(segments.data, segments.start, scratch, copied, take);
          copied += take;
          if (copied == want) {
            break;
          }
        }
      } finally {
        segments.close();
      }
    }
    scratchPos = 0;
    scratchEnd = copied;
  }

  /**
   * Returns the index in {@link #scratch} of the LF that ends the line starting at {@link
   * #scratchPos}, counts the line against the limit and moves {@code scratchPos} past it; or -1 if
   * the array does not hold the whole line.
   */
  private int lineEndInScratch() throws ProtocolException {
    byte[] bytes = scratch;
    int at = scratchPos;
    int end = scratchEnd;
    int crOrNul = 0;
    boolean ascii = true;
    while (at < end) {
      byte b = bytes[at];
      if (b <= '\r') { // One comparison for nearly every byte; the few below are sorted out here.
        if (b == '\n') {
          break;
        } else if (b == '\r' || b == 0) {
          crOrNul++;
        } else if (b < 0) {
          ascii = false;
        }
      }
      at++;
    }
    if (at == end) {
      return -1;
    }
    int length = at + 1 - scratchPos;
    if (length > bytesLeft) {
      throw new ProtocolException(section + " from " + peer + " exceeded the limit of "
          + limit + " bytes");
    }
    bytesLeft -= length;
    scratchPos = at + 1;
    if (at > 0 && bytes[at - 1] == '\r') {
      crOrNul--; // The CR of the line's CRLF.
    }
    lineChecked = crOrNul == 0;
    lineAscii = ascii;
    return at;
  }

  /**
   * Reads a trailer section (the field lines after a chunked body's last chunk, up to and
   * including the empty line) under a fresh limit of {@link Http1Limits#maxTrailerBytes()}.
   *
   * @return the trailer fields; empty if there were none
   * @throws ProtocolException if a field line is malformed, holds a NUL or a bare CR, or the
   *     section exceeds its limit
   * @throws IOException if the stream ends first
   */
  public Headers readTrailers() throws IOException {
    limit = limits.maxTrailerBytes();
    bytesLeft = limit;
    section = "Trailer section";
    return readHeaders();
  }

  /**
   * Returns the offset of the LF that ends the next line, waiting for it to arrive, and counts the
   * line against the limit.
   */
  private long nextLineEnd() throws IOException {
    long newline = source.indexOf((byte) '\n', 0L, bytesLeft);
    if (newline == -1L) {
      if (buffer.size() >= bytesLeft) {
        throw new ProtocolException(section + " from " + peer + " exceeded the limit of "
            + limit + " bytes");
      }
      throw new IOException("unexpected end of stream on " + peer);
    }
    bytesLeft -= newline + 1;
    return newline;
  }

  /** Returns the end of the line's content: before a CR that precedes the LF, else at the LF. */
  private long contentEnd(long newline) {
    return newline > 0 && buffer.getByte(newline - 1) == '\r' ? newline - 1 : newline;
  }

  /**
   * Reads bytes [{@code from}, {@code to}) of the buffer without surrounding whitespace as a string
   * and drops everything up to and including offset {@code newline}. A string not shared from
   * {@link CommonHeaderStrings} is refused if it holds a NUL or a CR.
   */
  private String readTrimmed(long from, long to, long newline) throws IOException {
    while (from < to && isWhitespace(buffer.getByte(from))) {
      from++;
    }
    while (to > from && isWhitespace(buffer.getByte(to - 1))) {
      to--;
    }
    String result = CommonHeaderStrings.value(buffer, from, to - from);
    if (result == null) {
      buffer.skip(from);
      result = buffer.readUtf8(to - from);
      buffer.skip(newline + 1 - to);
      if (hasForbiddenChar(result)) {
        throw forbiddenChar(result, "field line"); // A status line was checked whole before.
      }
    } else {
      buffer.skip(newline + 1);
    }
    return result;
  }

  /** Returns the status line in bytes [0, end) of {@link #scratch}, parsed as the buffer's would be. */
  private StatusLine statusLine(int end) throws IOException {
    byte[] bytes = scratch;
    checkNoForbiddenBytes(bytes, 0, end, "status line");
    int code = statusCode(bytes, end);
    if (code == -1) {
      throw new ProtocolException("Unexpected status line from " + peer + ": "
          + new String(bytes, 0, end, StandardCharsets.UTF_8));
    }
    Protocol protocol = bytes[7] == '1' ? Protocol.HTTP_1_1 : Protocol.HTTP_1_0;
    if (end == STATUS_LINE_MIN_LENGTH + 3 && bytes[13] == 'O' && bytes[14] == 'K') {
      if (code == 200 && protocol == Protocol.HTTP_1_1) {
        return HTTP_1_1_200_OK;
      }
      return new StatusLine(protocol, code, "OK");
    }
    int from = Math.min(end, STATUS_LINE_MIN_LENGTH + 1);
    while (from < end && isWhitespace(bytes[from])) {
      from++;
    }
    while (end > from && isWhitespace(bytes[end - 1])) {
      end--;
    }
    String message = CommonHeaderStrings.value(bytes, from, end - from);
    if (message == null) {
      message = new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }
    return new StatusLine(protocol, code, message);
  }

  /** As {@link #statusCode(long)}, for a status line in bytes [0, end) of {@code bytes}. */
  private static int statusCode(byte[] bytes, int end) {
    if (end < STATUS_LINE_MIN_LENGTH) {
      return -1;
    }
    for (int i = 0; i < HTTP_1_PREFIX_BYTES.length; i++) {
      if (bytes[i] != HTTP_1_PREFIX_BYTES[i]) {
        return -1;
      }
    }
    byte minor = bytes[7];
    if ((minor != '0' && minor != '1') || bytes[8] != ' ') {
      return -1;
    }
    if (end > STATUS_LINE_MIN_LENGTH && bytes[STATUS_LINE_MIN_LENGTH] != ' ') {
      return -1;
    }
    int code = 0;
    for (int i = 9; i < STATUS_LINE_MIN_LENGTH; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      code = code * 10 + digit;
    }
    return code < 100 ? -1 : code;
  }

  /** Moves the next {@code length} bytes of the buffer, the whole status line, into {@link #scratch}. */
  private void readLine(int length) {
    for (int read = 0; read < length; ) {
      read += buffer.read(scratch, read, length - read);
    }
  }

  /**
   * Returns the name of the field line in bytes [from, end) of {@code bytes}, whose first byte is
   * not whitespace, and records where its colon is for the value.
   */
  private String fieldName(byte[] bytes, int from, int end) throws IOException {
    int at = from;
    while (at < end && bytes[at] != ':') {
      at++;
    }
    int nameEnd = at;
    while (nameEnd > from && isWhitespace(bytes[nameEnd - 1])) {
      nameEnd--;
    }
    if (at == end || nameEnd == from) {
      checkNoForbiddenBytes(bytes, from, end, "field line");
      throw new ProtocolException("Unexpected header line from " + peer + ": "
          + new String(bytes, from, end - from, StandardCharsets.UTF_8));
    }
    lineColon = at;
    String name = CommonHeaderStrings.name(bytes, from, nameEnd - from);
    if (name == null) {
      name = newString(bytes, from, nameEnd - from);
      if (!lineChecked && hasForbiddenChar(name)) {
        throw forbiddenChar(name, "field line");
      }
    }
    return name;
  }

  /**
   * Returns bytes [from, end) of {@code bytes} without surrounding whitespace, a field value or a
   * continuation, refused if it holds a NUL or a CR.
   */
  private String trimmedValue(byte[] bytes, int from, int end) throws IOException {
    while (from < end && isWhitespace(bytes[from])) {
      from++;
    }
    while (end > from && isWhitespace(bytes[end - 1])) {
      end--;
    }
    String value = CommonHeaderStrings.value(bytes, from, end - from);
    if (value == null) {
      value = newString(bytes, from, end - from);
      if (!lineChecked && hasForbiddenChar(value)) {
        throw forbiddenChar(value, "field line");
      }
    }
    return value;
  }

  /**
   * Returns bytes [from, from + length) of {@code bytes}, a part of the line last found by {@link
   * #lineEndInScratch()}, decoded as UTF-8. A line of ASCII alone is copied as Latin-1 without
   * the decoder's scan for bytes above 0x7F, which it has had already: the same string.
   */
  @SuppressWarnings("deprecation") // String(byte[], int, int, int): a copy, exact for ASCII.
  private String newString(byte[] bytes, int from, int length) {
    return lineAscii ? new String(bytes, 0, from, length)
        : new String(bytes, from, length, StandardCharsets.UTF_8);
  }

  /** As {@link #checkNoForbiddenBytes(long, long, String)}, for bytes [from, end) of {@code bytes}. */
  private void checkNoForbiddenBytes(byte[] bytes, int from, int end, String line)
      throws IOException {
    for (int i = from; i < end; i++) {
      if (bytes[i] == 0 || bytes[i] == '\r') {
        String what = bytes[i] == 0 ? "a NUL" : "a bare CR";
        throw new ProtocolException(section + " from " + peer + " has " + what + " in a " + line
            + " (RFC 9110 §5.5)");
      }
    }
  }

  /**
   * Returns the status code of the status line in bytes [0, end) of the buffer, or -1 if the line
   * is not {@code HTTP/1.x SP 3DIGIT [SP reason]} with x 0 or 1.
   */
  private int statusCode(long end) {
    if (end < STATUS_LINE_MIN_LENGTH || !buffer.rangeEquals(0, HTTP_1_PREFIX)) {
      return -1;
    }
    byte minor = buffer.getByte(7);
    if ((minor != '0' && minor != '1') || buffer.getByte(8) != ' ') {
      return -1;
    }
    if (end > STATUS_LINE_MIN_LENGTH && buffer.getByte(STATUS_LINE_MIN_LENGTH) != ' ') {
      return -1;
    }
    int code = 0;
    for (int i = 9; i < STATUS_LINE_MIN_LENGTH; i++) {
      int digit = buffer.getByte(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      code = code * 10 + digit;
    }
    return code < 100 ? -1 : code;
  }

  /**
   * Refuses a line whose content, bytes [0, end) of the buffer, holds a NUL or a CR (a CR right
   * before the LF is not content). The line is consumed: the connection cannot be used again.
   */
  private void checkNoForbiddenBytes(long newline, long end, String line) throws IOException {
    long nul = buffer.indexOf((byte) 0, 0L, end);
    long cr = buffer.indexOf((byte) '\r', 0L, end);
    if (nul == -1L && cr == -1L) {
      return;
    }
    buffer.skip(newline + 1);
    String what = nul != -1L && (cr == -1L || nul < cr) ? "a NUL" : "a bare CR";
    throw new ProtocolException(section + " from " + peer + " has " + what + " in a " + line
        + " (RFC 9110 §5.5)");
  }

  /**
   * Returns true if {@code s}, read from a field line, holds a NUL or a CR. The name and value
   * strings hold every byte of the line but the whitespace around them (a space or tab), so this
   * finds what a scan of the line would; the JDK's {@link String#indexOf(int)} does it, and a
   * string from {@link CommonHeaderStrings} needs no check at all.
   */
  private static boolean hasForbiddenChar(String s) {
    return s.indexOf('\0') != -1 || s.indexOf('\r') != -1;
  }

  /** Returns the failure for a NUL or bare CR in {@code s}, naming whichever comes first. */
  private ProtocolException forbiddenChar(String s, String line) {
    int nul = s.indexOf('\0');
    int cr = s.indexOf('\r');
    String what = nul != -1 && (cr == -1 || nul < cr) ? "a NUL" : "a bare CR";
    return new ProtocolException(section + " from " + peer + " has " + what + " in a " + line
        + " (RFC 9110 §5.5)");
  }

  private ProtocolException malformedLine(long newline, long end, String what) throws IOException {
    String line = buffer.readUtf8(end);
    buffer.skip(newline + 1 - end);
    return new ProtocolException(what + " from " + peer + ": " + line);
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t';
  }
}
