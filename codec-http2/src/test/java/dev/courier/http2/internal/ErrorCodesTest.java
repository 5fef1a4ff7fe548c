package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodesTest {
  @Test
  void namesKnownCodesAndShowsUnknownOnesInHex() {
    assertThat(ErrorCodes.describe(0x1)).isEqualTo("PROTOCOL_ERROR (0x1)");
    assertThat(ErrorCodes.describe(0x8)).isEqualTo("CANCEL (0x8)");
    assertThat(ErrorCodes.name(0xbad)).isEqualTo("0xbad");
  }
}
