package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.http1.PiecewiseSource;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

/** Tests {@link HeadReader} on in-memory bytes; socket-level behaviour is tested with the codec. */
class HeadReaderTest {
  private final Buffer source = new Buffer();
  private final HeadReader reader = new HeadReader(source, "example.com:80");

  @Test
  void readsStatusLineAndHeadersLeavingTheBody() throws IOException {
    source.writeUtf8("HTTP/1.1 201 Created Now\r\nLocation: /a\r\nX-Custom: v\r\n\r\nbody");

    StatusLine status = reader.readStatusLine();
    Headers headers = reader.readHeaders();

    assertThat(status).isEqualTo(new StatusLine(Protocol.HTTP_1_1, 201, "Created Now"));
    assertThat(headers).isEqualTo(Headers.of("Location", "/a", "X-Custom", "v"));
    assertThat(source.readUtf8()).isEqualTo("body");
  }

  @Test
  void reusesSharedStringsForCommonNamesAndValuesInEitherCase() throws IOException {
    source.writeUtf8("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-type: text/plain\r\n"
        + "Transfer-Encoding: chunked\r\nX-Rare: chunked-ish\r\n\r\n");
    reader.readStatusLine();

    Headers headers = reader.readHeaders();

    assertThat(headers.name(0)).isSameAs("Content-Type");
    assertThat(headers.name(1)).isSameAs("content-type");
    assertThat(headers.value(0)).isSameAs("text/plain");
    assertThat(headers.value(2)).isSameAs("chunked");
    assertThat(headers.name(3)).isEqualTo("X-Rare");
    assertThat(headers.value(3)).isEqualTo("chunked-ish");
  }

  @Test
  void interimAndFinalHeadsEachGetTheFullLimit() throws IOException {
    String big = "a".repeat((int) Http1Limits.DEFAULT_MAX_HEAD_BYTES - 100);
    source.writeUtf8("HTTP/1.1 103 Early Hints\r\nLink: " + big + "\r\n\r\n");
    source.writeUtf8("HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\n\r\n");

    assertThat(reader.readStatusLine().code()).isEqualTo(103);
    assertThat(reader.readHeaders().get("Link")).hasSize(big.length());
    assertThat(reader.readStatusLine().code()).isEqualTo(200);
    assertThat(reader.readHeaders().get("X-Big")).hasSize(big.length());
  }

  @Test
  void trailersGetAFreshLimit() throws IOException {
    String big = "a".repeat((int) Http1Limits.DEFAULT_MAX_HEAD_BYTES - 100);
    source.writeUtf8("HTTP/1.1 200 OK\r\nX-Big: " + big + "\r\n\r\n");
    source.writeUtf8("X-Trailer: " + big + "\r\n\r\n");
    reader.readStatusLine();
    reader.readHeaders();

    assertThat(reader.readTrailers().get("X-Trailer")).hasSize(big.length());
  }

  @Test
  void oversizedTrailersAreAProtocolError() {
    source.writeUtf8("X-Trailer: " + "a".repeat((int) Http1Limits.DEFAULT_MAX_HEAD_BYTES) + "\r\n\r\n");

    assertThatThrownBy(reader::readTrailers)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Trailer section from example.com:80 exceeded the limit of 262144 bytes");
  }

  @Test
  void emptyTrailerSectionIsEmpty() throws IOException {
    source.writeUtf8("\r\n");

    assertThat(reader.readTrailers()).isEqualTo(Headers.EMPTY);
  }

  @Test
  void limitCountsTheWholeHeadNotEachLine() throws IOException {
    String line = "X-Line: " + "a".repeat(1000) + "\r\n";
    source.writeUtf8("HTTP/1.1 200 OK\r\n");
    for (long written = 17; written <= Http1Limits.DEFAULT_MAX_HEAD_BYTES; written += line.length()) {
      source.writeUtf8(line);
    }
    source.writeUtf8("\r\n");
    reader.readStatusLine();

    assertThatThrownBy(reader::readHeaders)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Response head from example.com:80 exceeded the limit of 262144 bytes");
  }

  @Test
  void endOfInputNamesThePeer() throws IOException {
    source.writeUtf8("HTTP/1.1 200 OK\r\nX-A: b");
    reader.readStatusLine();

    assertThatThrownBy(reader::readHeaders)
        .isInstanceOf(IOException.class)
        .hasMessage("unexpected end of stream on example.com:80");
  }

  @Test
  void statusLineOfHttp10IsRecognized() throws IOException {
    source.writeUtf8("HTTP/1.0 500 Internal Server Error\n");

    assertThat(reader.readStatusLine())
        .isEqualTo(new StatusLine(Protocol.HTTP_1_0, 500, "Internal Server Error"));
    assertThat(source.size()).isZero();
  }

  @Test
  void statusLineIsInterimOnlyFor1xxOtherThan101() {
    assertThat(new StatusLine(Protocol.HTTP_1_1, 100, "").isInterim()).isTrue();
    assertThat(new StatusLine(Protocol.HTTP_1_1, 103, "").isInterim()).isTrue();
    assertThat(new StatusLine(Protocol.HTTP_1_1, 101, "").isInterim()).isFalse();
    assertThat(new StatusLine(Protocol.HTTP_1_1, 200, "").isInterim()).isFalse();
  }

  @Test
  void refusesNulAndBareCrInFieldLinesButAcceptsCrlfAndBareLf() throws IOException {
    source.writeUtf8("HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\nC: x\ry\r\n\r\n");
    reader.readStatusLine();

    assertThatThrownBy(reader::readHeaders)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Response head from example.com:80 has a bare CR in a field line (RFC 9110 §5.5)");
  }

  @Test
  void refusesNulAndBareCrWhereverTheyAreInAFieldLineAndConsumesIt() throws IOException {
    String[][] cases = {
        {"X-N\0ame: v", "a NUL"},
        {"X-Name: v\0", "a NUL"},
        {"Content-Type: text/\0html", "a NUL"},
        {"X-Name\r: v", "a bare CR"},
        {"X-Name: \rv", "a bare CR"},
        {"X-Name: v\0w\rx", "a NUL"},
        {"X-Name: v\rw\0x", "a bare CR"},
        {"X-N\rame: v\0", "a bare CR"},
        {" folded\0", "a NUL"},
        {"X-Name\0", "a NUL"},
        {"\0", "a NUL"},
    };
    for (String[] c : cases) {
      Buffer in = new Buffer();
      HeadReader fresh = new HeadReader(in, "example.com:80");
      in.writeUtf8("HTTP/1.1 200 OK\r\nA: 1\r\n" + c[0] + "\r\nB: 2\r\n\r\n");
      fresh.readStatusLine();

      assertThatThrownBy(fresh::readHeaders)
          .as(c[0])
          .isInstanceOf(ProtocolException.class)
          .hasMessage("Response head from example.com:80 has " + c[1]
              + " in a field line (RFC 9110 §5.5)");
      assertThat(in.readUtf8()).as(c[0]).isEqualTo("B: 2\r\n\r\n");
    }
  }

  @Test
  void sharesCommonStringsAndReadsTheRest() throws IOException {
    source.writeUtf8("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Sat\r\n"
        + "content-type: texT/plain\r\nX-Unknown: 0\r\nVary: Origin\r\n\r\n");
    reader.readStatusLine();

    Headers headers = reader.readHeaders();

    assertThat(headers.size()).isEqualTo(5);
    assertThat(headers.name(0)).isSameAs("Content-Type");
    assertThat(headers.value(0)).isSameAs("text/plain");
    assertThat(headers.name(1)).isSameAs("Date");
    assertThat(headers.value(1)).isEqualTo("Sat");
    assertThat(headers.name(2)).isSameAs("content-type");
    assertThat(headers.value(2)).isEqualTo("texT/plain");
    assertThat(headers.name(3)).isEqualTo("X-Unknown");
    assertThat(headers.value(3)).isSameAs("0");
    assertThat(headers.name(4)).isSameAs("Vary");
    assertThat(headers.value(4)).isSameAs("Origin");
  }

  @Test
  void refusesNulInTheStatusLine() {
    source.writeUtf8("HTTP/1.1 200 O\u0000K\r\n\r\n");

    assertThatThrownBy(reader::readStatusLine)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Response head from example.com:80 has a NUL in a status line (RFC 9110 §5.5)");
  }

  @Test
  void configuredHeadLimitIsAppliedAndNamedInTheFailure() {
    HeadReader small = new HeadReader(source, "example.com:80",
        Http1Limits.builder().maxHeadBytes(64).build());
    source.writeUtf8("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(64) + "\r\n\r\n");

    assertThatThrownBy(() -> {
      small.readStatusLine();
      small.readHeaders();
    }).isInstanceOf(ProtocolException.class)
        .hasMessage("Response head from example.com:80 exceeded the limit of 64 bytes");
  }

  @Test
  void configuredTrailerLimitIsSeparateFromTheHeadLimit() throws IOException {
    HeadReader reader = new HeadReader(source, "example.com:80",
        Http1Limits.builder().maxHeadBytes(1024).maxTrailerBytes(32).build());
    source.writeUtf8("HTTP/1.1 200 OK\r\nX-Head: " + "h".repeat(200) + "\r\n\r\n");
    source.writeUtf8("X-Trailer: " + "t".repeat(40) + "\r\n\r\n");

    reader.readStatusLine();
    assertThat(reader.readHeaders().get("X-Head")).hasSize(200);
    assertThatThrownBy(reader::readTrailers)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Trailer section from example.com:80 exceeded the limit of 32 bytes");
  }

  @Test
  void exposesItsPeerAndLimits() {
    assertThat(reader.peer()).isEqualTo("example.com:80");
    assertThat(reader.limits()).isEqualTo(Http1Limits.DEFAULT);
  }

  @Test
  void readsMoreFieldsThanTheInitialRoomInOrder() throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    String[] expected = new String[50];
    for (int i = 0; i < 25; i++) {
      head.append("X-F").append(i).append(":  v").append(i).append(" \r\n");
      expected[2 * i] = "X-F" + i;
      expected[2 * i + 1] = "v" + i;
    }
    source.writeUtf8(head.append("\r\nrest").toString());
    reader.readStatusLine();

    Headers headers = reader.readHeaders();

    assertThat(headers).isEqualTo(Headers.of(expected));
    assertThat(source.readUtf8()).isEqualTo("rest");
  }

  @Test
  void readsExactlyTheInitialRoomAndAFoldedLastField() throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    String[] expected = new String[20];
    for (int i = 0; i < 10; i++) {
      head.append("X-F").append(i).append(": v").append(i).append("\r\n");
      expected[2 * i] = "X-F" + i;
      expected[2 * i + 1] = "v" + i;
    }
    head.append(" folded\r\n\r\n");
    expected[19] = "v9 folded";
    source.writeUtf8(head.toString());
    reader.readStatusLine();

    assertThat(reader.readHeaders()).isEqualTo(Headers.of(expected));
  }

  /** Lines shorter than the reader's scratch array are parsed there; longer ones in the buffer. */
  @Test
  void shortAndLongFieldLinesAreReadAlike() throws IOException {
    String pad = " ".repeat(HeadReader.SCRATCH_SIZE + 22);
    for (String padding : new String[] {"", pad}) {
      int size = HeadReader.SCRATCH_SIZE;
      for (int valueLength = size - 28; valueLength < size + 12; valueLength++) {
        String value = "v".repeat(valueLength);
        Buffer in = new Buffer();
        HeadReader fresh = new HeadReader(in, "example.com:80");
        in.writeUtf8("HTTP/1.1 200 OK\r\nX-Long:" + padding + value + "\t\r\n"
            + "X-Utf8: caf\u00e9 \u2603" + padding + "\nServer:\tnginx\r\n\r\nbody");
        fresh.readStatusLine();

        Headers headers = fresh.readHeaders();

        assertThat(headers).as("%d%s", valueLength, padding.isEmpty() ? "" : " padded")
            .isEqualTo(Headers.of("X-Long", value, "X-Utf8", "caf\u00e9 \u2603", "Server", "nginx"));
        assertThat(headers.value(2)).isSameAs("nginx");
        assertThat(in.readUtf8()).isEqualTo("body");
      }
    }
  }

  @Test
  void refusesNulBareCrAndMalformedLinesAlikeInShortAndLongLines() throws IOException {
    String pad = "p".repeat(HeadReader.SCRATCH_SIZE + 22);
    String[][] cases = {
        {"X-N\0ame: v", "has a NUL in a field line (RFC 9110 §5.5)"},
        {"X-Name: v\0w\rx", "has a NUL in a field line (RFC 9110 §5.5)"},
        {"X-N\rame: v\0", "has a bare CR in a field line (RFC 9110 §5.5)"},
        {"X-Name: \rv", "has a bare CR in a field line (RFC 9110 §5.5)"},
        {"X-Name\0", "has a NUL in a field line (RFC 9110 §5.5)"},
        {"X-Name", null},
        {": v", null},
        {"\t: v", null},
    };
    for (String padding : new String[] {"", pad}) {
      for (String[] c : cases) {
        String fieldLine = c[0] + padding;
        Buffer in = new Buffer();
        HeadReader fresh = new HeadReader(in, "example.com:80");
        in.writeUtf8("HTTP/1.1 200 OK\r\n" + (fieldLine.startsWith("\t") ? "" : "A: 1\r\n")
            + fieldLine + "\r\nB: 2\r\n\r\n");
        fresh.readStatusLine();

        String expected = c[1] != null ? "Response head from example.com:80 " + c[1]
            : fieldLine.startsWith("\t") ? "Unexpected continuation line from example.com:80: " + fieldLine
            : "Unexpected header line from example.com:80: " + fieldLine;
        assertThatThrownBy(fresh::readHeaders)
            .as(fieldLine)
            .isInstanceOf(ProtocolException.class)
            .hasMessage(expected);
        assertThat(in.readUtf8()).as(fieldLine).isEqualTo("B: 2\r\n\r\n");
      }
    }
  }

  @Test
  void shortAndLongStatusLinesAreReadAlike() throws IOException {
    String pad = "x".repeat(HeadReader.SCRATCH_SIZE + 22);
    for (String padding : new String[] {"", pad}) {
      Object[][] cases = {
          {"HTTP/1.1 200 OK", new StatusLine(Protocol.HTTP_1_1, 200, "OK")},
          {"HTTP/1.0 200 OK", new StatusLine(Protocol.HTTP_1_0, 200, "OK")},
          {"HTTP/1.1 404 Not Found", new StatusLine(Protocol.HTTP_1_1, 404, "Not Found")},
          {"HTTP/1.1 503 \tSlow  \t", new StatusLine(Protocol.HTTP_1_1, 503, "Slow")},
          {"HTTP/1.1 200 caf\u00e9", new StatusLine(Protocol.HTTP_1_1, 200, "caf\u00e9")},
          {"HTTP/1.1 204", new StatusLine(Protocol.HTTP_1_1, 204, "")},
      };
      for (Object[] c : cases) {
        String line = (String) c[0];
        boolean padded = !padding.isEmpty() && !line.endsWith("204");
        StatusLine expected = (StatusLine) c[1];
        if (padded) {
          String message = line.substring(13) + " " + padding; // Inner whitespace is kept.
          line = line + " " + padding;
          expected = new StatusLine(expected.protocol(), expected.code(),
              message.replaceFirst("^[ \\t]+", ""));
        }
        Buffer in = new Buffer().writeUtf8(line + "\r\nrest");
        StatusLine status = new HeadReader(in, "example.com:80").readStatusLine();

        assertThat(status).as(line).isEqualTo(expected);
        assertThat(in.readUtf8()).isEqualTo("rest");
      }
    }
    Buffer in = new Buffer().writeUtf8("HTTP/1.1 200 OK\nrest");
    assertThat(new HeadReader(in, "example.com:80").readStatusLine())
        .isSameAs(new HeadReader(new Buffer().writeUtf8("HTTP/1.1 200 OK\r\n"), "x:1").readStatusLine());
  }

  @Test
  void refusesMalformedStatusLinesAlikeWhenShortAndLong() {
    String pad = "y".repeat(HeadReader.SCRATCH_SIZE + 22);
    for (String padding : new String[] {"", pad}) {
      String[][] cases = {
          {"HTTP/2.0 200 OK", null},
          {"HTTP/1.1 20 OK", null},
          {"HTTP/1.1 2000 OK", null},
          {"HTTP/1.1 099 Low", null},
          {"HTTP/1.1 2x0 OK", null},
          {"ICY 200 OK", null},
          {"HTTP/1.1 200 O\0K", "a NUL"},
          {"HTTP/1.1 200 O\rK", "a bare CR"},
      };
      for (String[] c : cases) {
        String line = c[0] + padding;
        Buffer in = new Buffer().writeUtf8(line + "\r\nrest");
        HeadReader fresh = new HeadReader(in, "example.com:80");

        String expected = c[1] == null ? "Unexpected status line from example.com:80: " + line
            : "Response head from example.com:80 has " + c[1] + " in a status line (RFC 9110 §5.5)";
        assertThatThrownBy(fresh::readStatusLine)
            .as(line)
            .isInstanceOf(ProtocolException.class)
            .hasMessage(expected);
        assertThat(in.readUtf8()).as(line).isEqualTo("rest");
      }
    }
  }

  @Test
  void commonStringsDifferingInAnyOneByteAreNotTakenForThem() throws IOException {
    String[] common = {"Content-Encoding", "Content-Language", "Content-Location",
        "application/octet-stream", "keep-alive", "Date", "0"};
    for (String string : common) {
      for (int i = 0; i < string.length(); i++) {
        String nearMiss = string.substring(0, i) + '~' + string.substring(i + 1);
        Buffer in = new Buffer().writeUtf8("HTTP/1.1 200 OK\r\n" + nearMiss + ": " + nearMiss
            + "\r\n" + string + ": " + string + "\r\n\r\n");
        HeadReader fresh = new HeadReader(in, "example.com:80");
        fresh.readStatusLine();

        Headers headers = fresh.readHeaders();

        assertThat(headers).as(nearMiss).isEqualTo(Headers.of(nearMiss, nearMiss, string, string));
      }
    }
  }

  @Test
  void headsReadOneAfterAnotherKeepNothingOfTheHeadBefore() throws IOException {
    StringBuilder large = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 30; i++) {
      large.append("X-F").append(i).append(": v").append(i).append("\r\n");
    }
    source.writeUtf8(large.append("\r\n").toString());
    source.writeUtf8("HTTP/1.1 204 No Content\r\nA: 1\r\nB: 2\r\n\r\n");
    source.writeUtf8("HTTP/1.1 304 Not Modified\r\n\r\nrest");

    reader.readStatusLine();
    Headers first = reader.readHeaders();
    reader.readStatusLine();
    Headers second = reader.readHeaders();
    reader.readStatusLine();
    Headers third = reader.readHeaders();

    assertThat(first.size()).isEqualTo(30);
    assertThat(first.name(29)).isEqualTo("X-F29");
    assertThat(second).isEqualTo(Headers.of("A", "1", "B", "2"));
    assertThat(third).isEqualTo(Headers.EMPTY);
    assertThat(first.get("X-F0")).isEqualTo("v0");
    assertThat(source.readUtf8()).isEqualTo("rest");
  }

  /** An nginx-like head with a folded field, read over a socket-like source. */
  private static final String SPLIT_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx\r\n"
      + "Date: Sat, 05 Dec 2026 13:00:00 GMT\r\nContent-Type: application/octet-stream\r\n"
      + "Content-Length: 4\r\nX-Folded: a\r\n\t b \r\nConnection: keep-alive\nX-Utf8: caf\u00e9\r\n"
      + "\r\nbody";

  @Test
  void headSplitAcrossReadsAtEveryByteIsReadAlike() throws IOException {
    byte[] head = SPLIT_HEAD.getBytes(StandardCharsets.UTF_8);
    Headers expected = Headers.of("Server", "nginx", "Date", "Sat, 05 Dec 2026 13:00:00 GMT",
        "Content-Type", "application/octet-stream", "Content-Length", "4", "X-Folded", "a b",
        "Connection", "keep-alive", "X-Utf8", "caf\u00e9");
    for (int split = 1; split < head.length; split++) {
      BufferedSource in = Okio.buffer(chunkedBytes(head, split));
      HeadReader fresh = new HeadReader(in, "example.com:80");

      assertThat(fresh.readStatusLine()).as("split at %d", split)
          .isEqualTo(new StatusLine(Protocol.HTTP_1_1, 200, "OK"));
      assertThat(fresh.readHeaders()).as("split at %d", split).isEqualTo(expected);
      assertThat(in.readUtf8()).as("split at %d", split).isEqualTo("body");
    }
    BufferedSource in = Okio.buffer(chunkedBytes(head,
        IntStream.rangeClosed(1, head.length).toArray())); // One byte per read.
    HeadReader byteByByte = new HeadReader(in, "example.com:80");
    byteByByte.readStatusLine();
    assertThat(byteByByte.readHeaders()).isEqualTo(expected);
    assertThat(in.readUtf8()).isEqualTo("body");
  }

  @Test
  void badLineAfterASplitIsRefusedAndConsumed() throws IOException {
    byte[] head = "HTTP/1.1 200 OK\r\nA: 1\r\nX-Name: v\0w\r\nB: 2\r\n\r\n"
        .getBytes(StandardCharsets.UTF_8);
    for (int split = 1; split < head.length; split++) {
      BufferedSource in = Okio.buffer(chunkedBytes(head, split));
      HeadReader fresh = new HeadReader(in, "example.com:80");
      fresh.readStatusLine();

      assertThatThrownBy(fresh::readHeaders).as("split at %d", split)
          .isInstanceOf(ProtocolException.class)
          .hasMessage("Response head from example.com:80 has a NUL in a field line (RFC 9110 §5.5)");
      assertThat(in.readUtf8()).as("split at %d", split).isEqualTo("B: 2\r\n\r\n");
    }
  }

  @Test
  void endOfStreamMidHeadAfterAReadNamesThePeer() throws IOException {
    byte[] head = "HTTP/1.1 200 OK\r\nA: 1\r\nX-A: b".getBytes(StandardCharsets.UTF_8);
    BufferedSource in = Okio.buffer(chunkedBytes(head, 20));
    HeadReader fresh = new HeadReader(in, "example.com:80");
    fresh.readStatusLine();

    assertThatThrownBy(fresh::readHeaders)
        .isInstanceOf(IOException.class)
        .hasMessage("unexpected end of stream on example.com:80");
  }

  /**
   * A head several times the scratch array's size, preceded by a field whose length moves every
   * later line across the array's end at each offset, with a folded line and a line longer than
   * the array among them.
   */
  @Test
  void headLargerThanTheScratchArrayIsReadWhereverItsLinesFall() throws IOException {
    for (int shift = 0; shift <= HeadReader.SCRATCH_SIZE; shift++) {
      StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nX-Pad: ")
          .append("p".repeat(shift)).append("\r\n");
      List<String> expected = new ArrayList<>(List.of("X-Pad", "p".repeat(shift)));
      for (int i = 0; i < 40; i++) {
        String value = "v".repeat(i * 7 % 61) + i;
        head.append("X-F").append(i).append(": ").append(value).append(" \r\n");
        if (i == 20) {
          head.append("  more\r\n");
          value = value + " more";
        }
        if (i == 30) {
          String longValue = "L".repeat(HeadReader.SCRATCH_SIZE * 2 + i);
          head.append("X-Long:").append(longValue).append("\n");
          expected.addAll(List.of("X-F" + i, value, "X-Long", longValue));
          continue;
        }
        expected.addAll(List.of("X-F" + i, value));
      }
      Buffer in = new Buffer().writeUtf8(head.append("\r\nrest").toString());
      HeadReader fresh = new HeadReader(in, "example.com:80");
      fresh.readStatusLine();

      assertThat(fresh.readHeaders()).as("shift %d", shift)
          .isEqualTo(Headers.of(expected.toArray(new String[0])));
      assertThat(in.readUtf8()).as("shift %d", shift).isEqualTo("rest");
    }
  }

  @Test
  void badLinesBeyondTheScratchArrayAreRefusedAndConsumed() throws IOException {
    String[][] cases = {
        {"X-Name: v\0w", "Response head from example.com:80 has a NUL in a field line (RFC 9110 §5.5)"},
        {"X-Name", "Unexpected header line from example.com:80: X-Name"},
    };
    for (int shift = HeadReader.SCRATCH_SIZE - 60; shift <= HeadReader.SCRATCH_SIZE + 4; shift++) {
      for (String[] c : cases) {
        Buffer in = new Buffer().writeUtf8("HTTP/1.1 200 OK\r\nX-Pad: " + "p".repeat(shift)
            + "\r\nA: 1\r\n" + c[0] + "\r\nB: 2\r\n\r\n");
        HeadReader fresh = new HeadReader(in, "example.com:80");
        fresh.readStatusLine();

        assertThatThrownBy(fresh::readHeaders).as("%s shift %d", c[0], shift)
            .isInstanceOf(ProtocolException.class)
            .hasMessage(c[1]);
        assertThat(in.readUtf8()).as("%s shift %d", c[0], shift).isEqualTo("B: 2\r\n\r\n");
      }
    }
  }

  @Test
  void limitIsEnforcedOnLinesInTheScratchArrayAndAcrossIt() {
    for (long max = 40; max < 135; max++) {
      Buffer in = new Buffer().writeUtf8("HTTP/1.1 200 OK\r\nA: 1\r\nX-Long: "
          + "a".repeat(100) + "\r\n\r\n");
      HeadReader small = new HeadReader(in, "example.com:80",
          Http1Limits.builder().maxHeadBytes(max).build());

      assertThatThrownBy(() -> {
        small.readStatusLine();
        small.readHeaders();
      }).as("limit %d", max).isInstanceOf(ProtocolException.class)
          .hasMessage("Response head from example.com:80 exceeded the limit of " + max + " bytes");
    }
    Buffer in = new Buffer().writeUtf8("HTTP/1.1 200 OK\r\nA: 1\r\nX-Long: "
        + "a".repeat(100) + "\r\n\r\n");
    HeadReader exact = new HeadReader(in, "example.com:80",
        Http1Limits.builder().maxHeadBytes(135).build());
    assertThatCode(() -> {
      exact.readStatusLine();
      exact.readHeaders();
    }).doesNotThrowAnyException();
  }

  /** Returns a source of {@code bytes} whose reads end at the given offsets, then the rest, then it ends. */
  private static Source chunkedBytes(byte[] bytes, int... ends) {
    return new PiecewiseSource(bytes, new PiecewiseSource.Pieces() {
      private int next;

      @Override
      public int next(int position, int length) {
        return (next < ends.length ? Math.min(ends[next++], length) : length) - position;
      }
    });
  }
}
