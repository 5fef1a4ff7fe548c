package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SocketLink#bytesReadableWithoutWaiting()} over a TCP socket on loopback reports the bytes
 * the socket holds, a lower bound a reader may count down, and {@link TransportLink}'s default
 * derives it from {@link TransportLink#readsWithoutWaiting()}.
 */
@Timeout(10)
class SocketLinkReadableBytesTest {
  @Test
  void reportsTheBytesTheSocketHoldsAndNoneWhenEmpty() throws IOException {
    try (LoopbackPair pair = LoopbackPair.open()) {
      SocketLink link = new SocketLink(pair.client);
      assertThat(link.bytesReadableWithoutWaiting()).isEqualTo(0);
      assertThat(link.readsWithoutWaiting()).isFalse();

      // One small write arrives on loopback at once: once its first byte is read, the rest is there.
      pair.peer.getOutputStream().write(new byte[1_000]);
      InputStream in = pair.client.getInputStream();
      assertThat(in.read()).isEqualTo(0);
      assertThat(link.bytesReadableWithoutWaiting()).isEqualTo(999);
      assertThat(link.readsWithoutWaiting()).isTrue();

      assertThat(in.readNBytes(999)).hasSize(999);
      assertThat(link.bytesReadableWithoutWaiting()).isEqualTo(0);
      assertThat(link.readsWithoutWaiting()).isFalse();
    }
  }

  @Test
  void closedSocketCountsAsReadableSinceTheNextReadFailsAtOnce() throws IOException {
    try (LoopbackPair pair = LoopbackPair.open()) {
      SocketLink link = new SocketLink(pair.client);
      link.close();
      assertThat(link.bytesReadableWithoutWaiting()).isEqualTo(1);
      assertThat(link.readsWithoutWaiting()).isTrue();
    }
  }

  @Test
  void defaultCountIsOneWhenAReadWouldNotWaitElseZero() {
    assertThat(new FixedLink(true).bytesReadableWithoutWaiting()).isEqualTo(1);
    assertThat(new FixedLink(false).bytesReadableWithoutWaiting()).isEqualTo(0);
  }

  /** A link that only answers whether it holds bytes. */
  private static final class FixedLink implements TransportLink {
    private final boolean readable;

    FixedLink(boolean readable) {
      this.readable = readable;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean hasReadableBytes() {
      return readable;
    }

    @Override
    public boolean staysQuiet(int timeoutMillis) {
      return !readable;
    }

    @Override
    public void close() {}
  }
}
