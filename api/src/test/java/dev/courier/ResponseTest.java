package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ResponseTest {
  private static Response.Builder minimal() {
    return new Response.Builder()
        .request(new Request.Builder().url("http://h/").build())
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK");
  }

  @Test
  void bodyIsNeverNull() {
    assertThat(minimal().build().body().contentLength()).isZero();
  }

  @Test
  void headersGivenWholeAreKeptAndSingleChangesCopyThem() {
    Headers headers = Headers.of("A", "1");
    Response response = minimal().headers(headers).build();
    assertThat(response.headers()).isSameAs(headers);
    Response changed = response.newBuilder().addHeader("B", "2").build();
    assertThat(changed.headers()).isEqualTo(Headers.of("A", "1", "B", "2"));
    assertThat(response.headers()).isEqualTo(Headers.of("A", "1"));
  }

  @Test
  void missingPartsAreReported() {
    assertThatThrownBy(() -> minimal().protocol(null).build()).hasMessage("protocol == null");
    assertThatThrownBy(() -> minimal().code(-1).build()).hasMessage("code < 0: -1");
  }

  @Test
  void redirectCodesAreRecognized() {
    assertThat(minimal().code(308).build().isRedirect()).isTrue();
    assertThat(minimal().code(304).build().isRedirect()).isFalse();
  }

  @Test
  void bodyShorterThanItsDeclaredLengthFailsToRead() {
    ResponseBody body = ResponseBody.create(new Buffer().writeUtf8("abc"), null, 5);
    assertThatThrownBy(body::bytes)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Content-Length (5) and stream length (3) disagree");
  }

  @Test
  void stringHonoursTheByteOrderMarkAndCharset() throws IOException {
    ResponseBody bom = ResponseBody.create(new Buffer().write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'}), null, -1);
    assertThat(bom.string()).isEqualTo("hi");
    ResponseBody latin1 = ResponseBody.create(new byte[] {(byte) 0xe9}, MediaType.get("text/plain; charset=iso-8859-1"));
    assertThat(latin1.string()).isEqualTo("\u00e9");
  }

  @Test
  void peekBodyCopiesAPrefixWithoutConsumingIt() throws IOException {
    Response response = minimal()
        .body(ResponseBody.create(new Buffer().writeUtf8("abcdef"), MediaType.get("text/plain"), 6L))
        .build();
    ResponseBody peeked = response.peekBody(3);
    assertThat(peeked.contentLength()).isEqualTo(3);
    assertThat(peeked.contentType()).isEqualTo(MediaType.get("text/plain"));
    assertThat(peeked.string()).isEqualTo("abc");
    assertThat(response.peekBody(100).string()).isEqualTo("abcdef");
    assertThat(response.peekBody(0).string()).isEmpty();
    assertThat(response.body().string()).isEqualTo("abcdef");
  }

  @Test
  void peekBodyRefusesANegativeCount() {
    Response response = minimal().body(ResponseBody.create("x", null)).build();
    assertThatThrownBy(() -> response.peekBody(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cacheControlOfTheResponseHeaders() {
    Response response = minimal().header("Cache-Control", "max-age=60, immutable").build();
    assertThat(response.cacheControl().maxAgeSeconds()).isEqualTo(60);
    assertThat(response.cacheControl().immutable()).isTrue();
  }
}
