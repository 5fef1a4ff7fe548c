package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PermessageDeflateTest {
  private static PermessageDeflate parse(String... values) {
    return PermessageDeflate.parse(List.of(values), true);
  }

  @Test
  void noAnswerMeansNoExtension() {
    assertThat(PermessageDeflate.parse(List.of(), true)).isNull();
    assertThat(parse(" ")).isNull();
  }

  @Test
  void bareAnswerKeepsBothContextsWithFullWindows() {
    PermessageDeflate agreed = parse("permessage-deflate");
    assertThat(agreed.clientNoContextTakeover()).isFalse();
    assertThat(agreed.serverNoContextTakeover()).isFalse();
    assertThat(agreed.serverMaxWindowBits()).isEqualTo(15);
    assertThat(agreed.headerValue()).isEqualTo("permessage-deflate");
  }

  @Test
  void parametersAreReadInAnyCaseAndSpacing() {
    PermessageDeflate agreed = parse(
        "Permessage-Deflate;client_no_context_takeover ; SERVER_NO_CONTEXT_TAKEOVER;"
            + " server_max_window_bits=\"10\"");
    assertThat(agreed.clientNoContextTakeover()).isTrue();
    assertThat(agreed.serverNoContextTakeover()).isTrue();
    assertThat(agreed.serverMaxWindowBits()).isEqualTo(10);
  }

  @Test
  void everyServerWindowFrom8To15IsAccepted() {
    for (int bits = 8; bits <= 15; bits++) {
      assertThat(parse("permessage-deflate; server_max_window_bits=" + bits).serverMaxWindowBits())
          .isEqualTo(bits);
    }
  }

  @Test
  void clientWindowBitsAreRefusedBecauseTheJdkDeflaterCannotHonourThem() {
    assertThatThrownBy(() -> parse("permessage-deflate; client_max_window_bits=10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client_max_window_bits=10")
        .hasMessageContaining("32 KiB window");
  }

  @Test
  void answersBreakingTheRulesAreRefused() {
    assertThatThrownBy(() -> parse("permessage-deflate; server_max_window_bits=7"))
        .hasMessageContaining("from 8 to 15, not '7'");
    assertThatThrownBy(() -> parse("permessage-deflate; server_max_window_bits=16"))
        .hasMessageContaining("not '16'");
    assertThatThrownBy(() -> parse("permessage-deflate; server_max_window_bits"))
        .hasMessageContaining("not 'null'");
    assertThatThrownBy(() -> parse("permessage-deflate; server_max_window_bits=010"))
        .hasMessageContaining("not '010'");
    assertThatThrownBy(() -> parse("permessage-deflate; server_no_context_takeover=1"))
        .hasMessageContaining("takes none");
    assertThatThrownBy(() -> parse(
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover"))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("permessage-deflate; mystery"))
        .hasMessageContaining("unknown parameter 'mystery'");
    assertThatThrownBy(() -> parse("permessage-deflate", "permessage-deflate"))
        .hasMessageContaining("permessage-deflate twice");
  }

  @Test
  void extensionsThatWereNotOfferedAreRefused() {
    assertThatThrownBy(() -> parse("x-webkit-deflate-frame"))
        .hasMessageContaining("'x-webkit-deflate-frame', which was not offered");
    assertThatThrownBy(() -> PermessageDeflate.parse(List.of("permessage-deflate"), false))
        .hasMessageContaining("'permessage-deflate', which was not offered");
  }
}
