package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

/** Tests {@link Framing}'s reading of framing header fields. */
class FramingTest {
  @Test
  void chunkedMustBeTheLastTransferCoding() {
    assertThat(Framing.isChunked(Headers.of("Transfer-Encoding", "chunked"))).isTrue();
    assertThat(Framing.isChunked(Headers.of("Transfer-Encoding", "gzip, chunked"))).isTrue();
    assertThat(Framing.isChunked(Headers.of("transfer-encoding", "gzip,Chunked"))).isTrue();
    assertThat(Framing.isChunked(Headers.of("Transfer-Encoding", "chunked, gzip"))).isFalse();
    assertThat(Framing.isChunked(Headers.of("Transfer-Encoding", "chunkedx"))).isFalse();
    assertThat(Framing.isChunked(Headers.of("Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked")))
        .isTrue();
    assertThat(Framing.isChunked(Headers.EMPTY)).isFalse();
  }

  @Test
  void contentLengthIsParsedStrictly() throws ProtocolException {
    assertThat(Framing.contentLength(Headers.EMPTY, "h:1")).isEqualTo(-1L);
    assertThat(Framing.contentLength(Headers.of("Content-Length", "0"), "h:1")).isZero();
    assertThat(Framing.contentLength(Headers.of("content-length", "123456789012"), "h:1"))
        .isEqualTo(123_456_789_012L);
    assertThat(Framing.contentLength(Headers.of("Content-Length", "7", "Content-Length", "7, 7"), "h:1"))
        .isEqualTo(7L);
    assertThatThrownBy(() -> Framing.contentLength(Headers.of("Content-Length", "7", "Content-Length", "8"), "h:1"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Invalid Content-Length from h:1: 8");
    assertThatThrownBy(() -> Framing.contentLength(Headers.of("Content-Length", "+7"), "h:1"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Framing.contentLength(Headers.of("Content-Length", "7,"), "h:1"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void connectionTokensAreMatchedAsListMembers() {
    Headers headers = Headers.of("Connection", "Upgrade,  Keep-Alive ");

    assertThat(Framing.hasConnectionToken(headers, "keep-alive")).isTrue();
    assertThat(Framing.hasConnectionToken(headers, "upgrade")).isTrue();
    assertThat(Framing.hasConnectionToken(headers, "close")).isFalse();
    assertThat(Framing.hasConnectionToken(Headers.of("Connection", "closed"), "close")).isFalse();
    assertThat(Framing.hasConnectionToken(Headers.of("X-Connection", "close"), "close")).isFalse();
  }

  @Test
  void fieldNamesOfTheSameLengthAreToldApartInAnyCase() throws ProtocolException {
    Headers headers = Headers.of("Content-Lenght", "9", "CONTENT-LENGTH", "5",
        "Connectiom", "close", "Transfer-Encodinx", "chunked");
    assertThat(Framing.contentLength(headers, "h:1")).isEqualTo(5L);
    assertThat(Framing.hasConnectionToken(headers, "close")).isFalse();
    assertThat(Framing.hasTransferEncoding(headers)).isFalse();
    assertThat(Framing.isChunked(headers)).isFalse();

    Headers upper = Headers.of("CONNECTION", "close", "TRANSFER-ENCODING", "chunked");
    assertThat(Framing.hasConnectionToken(upper, "close")).isTrue();
    assertThat(Framing.hasTransferEncoding(upper)).isTrue();
    assertThat(Framing.isChunked(upper)).isTrue();
  }

  @Test
  void someResponsesNeverHaveABody() {
    assertThat(Framing.responseMayHaveBody("GET", 200)).isTrue();
    assertThat(Framing.responseMayHaveBody("GET", 205)).isTrue();
    assertThat(Framing.responseMayHaveBody("HEAD", 200)).isFalse();
    assertThat(Framing.responseMayHaveBody("GET", 100)).isFalse();
    assertThat(Framing.responseMayHaveBody("GET", 204)).isFalse();
    assertThat(Framing.responseMayHaveBody("GET", 304)).isFalse();
  }
}
