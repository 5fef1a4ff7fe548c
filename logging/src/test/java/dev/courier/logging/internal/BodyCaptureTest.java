package dev.courier.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import okio.Buffer;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {
  @Test
  void holdsEveryByteOfABodyWithinTheLimitAndLeavesTheSourceAlone() {
    BodyCapture capture = new BodyCapture(10);
    Buffer source = new Buffer().writeUtf8("0123456789");

    capture.copyFrom(source, 2, 3);
    capture.copyFrom(source, 8, 2);

    assertThat(capture.copy().readUtf8()).isEqualTo("23489");
    assertThat(capture.byteCount()).isEqualTo(5);
    assertThat(capture.overLimit()).isFalse();
    assertThat(source.size()).isEqualTo(10);
  }

  @Test
  void dropsItsCopyOnceTheBodyOutgrowsTheLimitAndOnlyCountsTheRest() {
    BodyCapture capture = new BodyCapture(1024);
    Buffer piece = new Buffer().write(new byte[8192]);

    for (int i = 0; i < 1280; i++) {
      capture.copyFrom(piece, 0, piece.size());
      assertThat(capture.heldBytes()).isLessThanOrEqualTo(1024);
    }

    assertThat(capture.byteCount()).isEqualTo(1280L * 8192);
    assertThat(capture.overLimit()).isTrue();
    assertThat(capture.heldBytes()).isZero();
  }
}
