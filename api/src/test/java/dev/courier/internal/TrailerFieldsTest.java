package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrailerFieldsTest {
  @ParameterizedTest
  @ValueSource(strings = {"Content-Length", "transfer-encoding", "TRAILER", "TE", "Host",
      "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "Expect", "Range",
      "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Content-Type",
      "Content-Encoding", "Content-Range", ":path"})
  void fieldsThatControlTheMessageAreForbidden(String name) {
    assertThat(TrailerFields.isForbidden(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Checksum", "grpc-status", "Server-Timing", "Digest", "X-Content-Length"})
  void otherFieldsAreAllowed(String name) {
    assertThat(TrailerFields.isForbidden(name)).isFalse();
  }

  @Test
  void checkSendableNamesTheFieldAndTheServer() {
    Headers trailers = Headers.of("Checksum", "abc", "Content-Length", "3");

    assertThatThrownBy(() -> TrailerFields.checkSendable(trailers, "example.com:443"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Request to example.com:443 has the trailer field Content-Length, which may not"
            + " be sent in trailers (RFC 9110 §6.5.1)");
  }

  @Test
  void checkSendableAcceptsAllowedAndEmptyTrailers() {
    assertThatCode(() -> TrailerFields.checkSendable(
        Headers.of("Checksum", "abc", "grpc-status", "0"), "example.com")).doesNotThrowAnyException();
    assertThatCode(() -> TrailerFields.checkSendable(Headers.EMPTY, "example.com"))
        .doesNotThrowAnyException();
  }
}
