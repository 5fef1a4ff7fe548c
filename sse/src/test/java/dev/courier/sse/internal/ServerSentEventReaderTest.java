package dev.courier.sse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.sse.EventTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the reader against the examples and rules of the WHATWG HTML standard, section 9.2.6
 * "Interpreting an event stream", with the stream handed over whole and one byte per read.
 */
class ServerSentEventReaderTest {
  /** How the stream's bytes arrive. */
  enum Delivery {
    WHOLE,
    BYTE_BY_BYTE
  }

  private final List<String> callbacks = new ArrayList<>();
  private ServerSentEventReader reader;

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void specExampleJoinsDataLinesWithLineFeeds(Delivery delivery) throws IOException {
    read(delivery, "data: YHOO\ndata: +2\ndata: 10\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=YHOO\n+2\n10");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void specExampleWithCommentAndIds(Delivery delivery) throws IOException {
    read(delivery, ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n");
    assertThat(callbacks).containsExactly(
        "comment test stream",
        "event id=1 type=message data=first event",
        "event id= type=message data=second event",
        "event id= type=message data= third event");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void specExampleFieldNamesAloneAndUnterminatedEvent(Delivery delivery) throws IOException {
    read(delivery, "data\n\ndata\ndata\n\ndata:");
    assertThat(callbacks).containsExactly("event id= type=message data=", "event id= type=message data=\n");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void specExampleOneLeadingSpaceIsOptional(Delivery delivery) throws IOException {
    read(delivery, "data:test\n\ndata: test\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=test", "event id= type=message data=test");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void everyLineEndEndsALine(Delivery delivery) throws IOException {
    read(delivery, "data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\rdata: e\n\r\ndata: f\ndata: g\r\n\n");
    assertThat(callbacks).containsExactly(
        "event id= type=message data=a",
        "event id= type=message data=b",
        "event id= type=message data=c",
        "event id= type=message data=d",
        "event id= type=message data=e",
        "event id= type=message data=f\ng");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void crLfCountsAsOneLineEndButLfCrAsTwo(Delivery delivery) throws IOException {
    // "\r\n" is a single line end, so no blank line (and no event) follows "data: x".
    read(delivery, "data: x\r\ndata: y\n\r");
    assertThat(callbacks).containsExactly("event id= type=message data=x\ny");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void oneLeadingByteOrderMarkIsIgnored(Delivery delivery) throws IOException {
    read(delivery, "\uFEFFdata: x\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=x");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void onlyOneByteOrderMarkIsIgnored(Delivery delivery) throws IOException {
    read(delivery, "\uFEFF\uFEFFdata: x\n\ndata: y\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=y");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void byteOrderMarkAfterTheStartIsPartOfTheLine(Delivery delivery) throws IOException {
    read(delivery, "data: a\n\n\uFEFFdata: b\n\ndata: \uFEFFc\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=a", "event id= type=message data=\uFEFFc");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void eventTypeIsSetAndResetAfterDispatch(Delivery delivery) throws IOException {
    read(delivery, "event: add\ndata: 1\n\ndata: 2\n\nevent\ndata: 3\n\nevent: x\n\ndata: 4\n\n");
    assertThat(callbacks).containsExactly(
        "event id= type=add data=1",
        "event id= type=message data=2",
        "event id= type=message data=3",
        "event id= type=message data=4");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void idPersistsAcrossEventsUntilChanged(Delivery delivery) throws IOException {
    read(delivery, "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
    assertThat(callbacks).containsExactly(
        "event id=7 type=message data=a", "event id=7 type=message data=b", "event id= type=message data=c");
    assertThat(reader.lastEventId()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void idContainingNulIsIgnored(Delivery delivery) throws IOException {
    read(delivery, "id: 1\n\nid: 2\u0000x\ndata: y\n\n");
    assertThat(callbacks).containsExactly("event id=1 type=message data=y");
    assertThat(reader.lastEventId()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void idWithoutDataUpdatesTheLastEventIdWithoutDispatching(Delivery delivery) throws IOException {
    read(delivery, "id: 42\n\n");
    assertThat(callbacks).isEmpty();
    assertThat(reader.lastEventId()).isEqualTo("42");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void idOfAnUnterminatedEventIsNotTheLastEventId(Delivery delivery) throws IOException {
    read(delivery, "id: 1\ndata: a\n\nid: 2\ndata: b\n");
    assertThat(callbacks).containsExactly("event id=1 type=message data=a");
    assertThat(reader.lastEventId()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void carriedOverLastEventIdIsReportedWithEvents(Delivery delivery) throws IOException {
    reader = newReader(delivery, "data: a\n\n", "9", Long.MAX_VALUE);
    while (reader.processNextLine()) {
      // read all
    }
    assertThat(callbacks).containsExactly("event id=9 type=message data=a");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void retryTakesAsciiDigitsOnly(Delivery delivery) throws IOException {
    read(delivery, "retry: 1500\nretry: 15x\nretry: -1\nretry:\nretry: 1.5\nretry:  20\n"
        + "retry: 99999999999999999999999\nretry: ١٢\nretry:0\n\n");
    assertThat(callbacks).containsExactly("retry 1500", "retry 0");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void unknownFieldsAndValuesWithColonsAreHandled(Delivery delivery) throws IOException {
    read(delivery, "foo: bar\nDATA: no\ndata: a:b: c\n data: no\n\n");
    assertThat(callbacks).containsExactly("event id= type=message data=a:b: c");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void commentsAreReportedAndDoNotEndEvents(Delivery delivery) throws IOException {
    read(delivery, "data: a\n:keep-alive\n: second\n:\ndata: b\n\n");
    assertThat(callbacks).containsExactly(
        "comment keep-alive", "comment second", "comment ", "event id= type=message data=a\nb");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void eventWithoutTrailingBlankLineAtEndOfStreamIsDiscarded(Delivery delivery) throws IOException {
    read(delivery, "data: a\n\ndata: b\n");
    assertThat(callbacks).containsExactly("event id= type=message data=a");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void malformedUtf8IsReplaced(Delivery delivery) throws IOException {
    Buffer bytes = new Buffer().writeUtf8("data: a").writeByte(0xff).writeByte(0xc3).writeUtf8("b é\n\n");
    read(delivery, bytes);
    assertThat(callbacks).containsExactly("event id= type=message data=a\uFFFD\uFFFDb é");
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void eventLargerThanTheLimitFails(Delivery delivery) {
    reader = newReader(delivery, "data: 12345\ndata: 67890\n\n", "", 16);
    assertThatThrownBy(() -> {
      while (reader.processNextLine()) {
        // read all
      }
    }).isInstanceOf(EventTooLargeException.class).hasMessageContaining("example.com:443").hasMessageContaining("16");
    assertThat(callbacks).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void lineWithoutEndLargerThanTheLimitFails(Delivery delivery) {
    reader = newReader(delivery, "x".repeat(100), "", 16);
    assertThatThrownBy(() -> reader.processNextLine()).isInstanceOf(EventTooLargeException.class);
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void limitAppliesPerEventAndSkipsComments(Delivery delivery) throws IOException {
    read(delivery, "data: 12345\n\n:" + "c".repeat(12) + "\n:" + "c".repeat(12) + "\ndata: 67890\n\n", 16);
    assertThat(callbacks).hasSize(4).contains("event id= type=message data=12345", "event id= type=message data=67890");
  }

  private void read(Delivery delivery, String utf8) throws IOException {
    read(delivery, new Buffer().writeUtf8(utf8), Long.MAX_VALUE);
  }

  private void read(Delivery delivery, String utf8, long maxEventBytes) throws IOException {
    read(delivery, new Buffer().writeUtf8(utf8), maxEventBytes);
  }

  private void read(Delivery delivery, Buffer bytes) throws IOException {
    read(delivery, bytes, Long.MAX_VALUE);
  }

  private void read(Delivery delivery, Buffer bytes, long maxEventBytes) throws IOException {
    reader = newReader(delivery, bytes.readByteString(), "", maxEventBytes);
    while (reader.processNextLine()) {
      // Callbacks record what was read.
    }
    assertThat(reader.processNextLine()).isFalse();
  }

  private ServerSentEventReader newReader(Delivery delivery, String utf8, String lastEventId, long maxEventBytes) {
    return newReader(delivery, ByteString.encodeUtf8(utf8), lastEventId, maxEventBytes);
  }

  private ServerSentEventReader newReader(
      Delivery delivery, ByteString bytes, String lastEventId, long maxEventBytes) {
    Buffer all = new Buffer().write(bytes);
    Source source = delivery == Delivery.WHOLE ? all : new OneByteSource(all);
    BufferedSource buffered = Okio.buffer(source);
    return new ServerSentEventReader(buffered, new Recorder(), lastEventId, maxEventBytes, "example.com:443");
  }

  private final class Recorder implements ServerSentEventReader.Callback {
    @Override
    public void onEvent(String lastEventId, String type, String data) {
      callbacks.add("event id=" + lastEventId + " type=" + type + " data=" + data);
    }

    @Override
    public void onRetryChange(long retryMillis) {
      callbacks.add("retry " + retryMillis);
    }

    @Override
    public void onComment(String comment) {
      callbacks.add("comment " + comment);
    }
  }

  /** Hands out one byte per read, so that every line and line end is split across reads. */
  private static final class OneByteSource implements Source {
    private final Buffer bytes;

    OneByteSource(Buffer bytes) {
      this.bytes = bytes;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (bytes.size() == 0) {
        return -1;
      }
      return bytes.read(sink, 1);
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
