package dev.courier.http2.internal;

import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.TransportLink;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.util.ArrayDeque;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DeferredWakes} asks the link how many bytes it holds only once the bytes it last reported
 * have been read, and wakes held-back readers as soon as that count runs out and the link reports
 * none: it may wake when bytes did arrive, never hold a wake back when none are known to be there.
 * The link is scripted; the transport's source is an in-memory buffer read 8 KiB at a time, as a
 * socket's buffered source is.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class DeferredWakesCountTest {
  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();

  private final ScriptedLink link = new ScriptedLink();
  private Http2Connection connection;
  private Http2Stream stream;
  private FailingSource underBuffer;
  private DeferredWakes wakes;

  @BeforeEach
  void setUp() throws IOException {
    connection = h2.start();
    stream = new Http2Stream(1, connection, get(h2.peer().port(), "/"), null, true, 65_535, 65_535,
        1_000, 1_000);
    underBuffer = new FailingSource(new Buffer().write(new byte[100_000]));
    wakes = new DeferredWakes(Okio.buffer(underBuffer), link, connection.lock);
  }

  @Test
  void asksOnceForAReportedCountThenAgainWhenItIsRead() throws IOException {
    link.counts.add(20_000);
    wakes.defer(stream);
    Buffer sink = new Buffer();

    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(link.asked).isEqualTo(1);
    assertThat(wakes.holdsWakes()).isTrue();
    // 11,808 of the 20,000 are still known to be there: no question, no wake.
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(link.asked).isEqualTo(1);
    assertThat(wakes.holdsWakes()).isTrue();
    // 24,576 read: the count is used up, so the link is asked again; it reports none: wake.
    link.counts.add(0);
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(link.asked).isEqualTo(2);
    assertThat(wakes.holdsWakes()).isFalse();
  }

  @Test
  void bytesLeftInTheTransportBufferCountAsReadFromTheLink() throws IOException {
    link.counts.add(8_192);
    wakes.defer(stream);
    Buffer sink = new Buffer();

    // A small read still takes a whole 8 KiB segment from the link into the transport's buffer.
    assertThat(wakes.read(sink, 100)).isEqualTo(100);
    assertThat(link.asked).isEqualTo(1);
    // Reads served from that buffer ask nothing.
    assertThat(wakes.read(sink, 8_092)).isEqualTo(8_092);
    assertThat(link.asked).isEqualTo(1);
    // The buffer is empty and the 8,192 reported are all read: ask again.
    link.counts.add(0);
    wakes.read(sink, 8_192);
    assertThat(link.asked).isEqualTo(2);
    assertThat(wakes.holdsWakes()).isFalse();
  }

  @Test
  void nothingIsAskedWhileNoWakeIsHeldBackButReadsStillCount() throws IOException {
    link.counts.add(10_000);
    wakes.defer(stream);
    Buffer sink = new Buffer();
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    wakes.wakeAll();
    // Read without a held-back wake: not asked, but the bytes still come off the count.
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(link.asked).isEqualTo(1);

    wakes.defer(stream);
    link.counts.add(0);
    wakes.read(sink, 8_192);
    assertThat(link.asked).isEqualTo(2);
    assertThat(wakes.holdsWakes()).isFalse();
  }

  @Test
  void aFailedReadForgetsTheCount() throws IOException {
    link.counts.add(50_000);
    wakes.defer(stream);
    Buffer sink = new Buffer();
    assertThat(wakes.read(sink, 8_192)).isEqualTo(8_192);
    assertThat(link.asked).isEqualTo(1);

    underBuffer.failNext = true;
    assertThatThrownBy(() -> wakes.read(sink, 8_192)).isInstanceOf(IOException.class).hasMessage("broken");
    link.counts.add(0);
    wakes.read(sink, 8_192);
    assertThat(link.asked).isEqualTo(2);
    assertThat(wakes.holdsWakes()).isFalse();
  }

  @Test
  void theEndOfTheStreamForgetsTheCount() throws IOException {
    underBuffer = new FailingSource(new Buffer().write(new byte[10]));
    wakes = new DeferredWakes(Okio.buffer(underBuffer), link, connection.lock);
    link.counts.add(50_000); // More than arrives: a link that overcounted must not outlive the end.
    wakes.defer(stream);
    Buffer sink = new Buffer();
    assertThat(wakes.read(sink, 8_192)).isEqualTo(10);
    assertThat(wakes.read(sink, 8_192)).isEqualTo(-1);
    link.counts.add(0);
    assertThat(wakes.read(sink, 8_192)).isEqualTo(-1);
    assertThat(link.asked).isEqualTo(2);
    assertThat(wakes.holdsWakes()).isFalse();
  }

  /** Reports scripted counts and counts how often it was asked. */
  private static final class ScriptedLink implements TransportLink {
    final ArrayDeque<Integer> counts = new ArrayDeque<>();
    int asked;

    @Override
    public int bytesReadableWithoutWaiting() {
      asked++;
      Integer count = counts.poll();
      if (count == null) {
        throw new AssertionError("asked more often than scripted");
      }
      return count;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean hasReadableBytes() {
      throw new AssertionError("not expected");
    }

    @Override
    public boolean staysQuiet(int timeoutMillis) {
      throw new AssertionError("not expected");
    }

    @Override
    public void close() {}
  }

  /** Fails its next read when told to. */
  private static final class FailingSource extends ForwardingSource {
    boolean failNext;

    FailingSource(Source delegate) {
      super(delegate);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      if (failNext) {
        failNext = false;
        throw new IOException("broken");
      }
      return super.read(sink, byteCount);
    }
  }
}
