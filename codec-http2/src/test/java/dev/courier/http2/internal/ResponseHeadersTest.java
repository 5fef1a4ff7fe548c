package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {
  @Test
  void headHasStatusAndRegularFieldsInOrder() throws Exception {
    ResponseHeaders.Head head = ResponseHeaders.parseHead(
        fields(":status", "404", "content-type", "text/html", "set-cookie", "a=1", "set-cookie", "b=2"), () -> "h");

    assertThat(head.code()).isEqualTo(404);
    assertThat(head.headers()).isEqualTo(
        Headers.of("content-type", "text/html", "set-cookie", "a=1", "set-cookie", "b=2"));
    assertThat(head.contentLength()).isEqualTo(-1);
  }

  @Test
  void contentLengthIsParsedAndMayRepeatWithTheSameValue() throws Exception {
    assertThat(ResponseHeaders.parseHead(fields(":status", "200", "content-length", "1024"), () -> "h")
        .contentLength()).isEqualTo(1024);
    assertThat(ResponseHeaders.parseHead(
        fields(":status", "200", "content-length", "7", "content-length", "7"), () -> "h").contentLength()).isEqualTo(7);
  }

  @Test
  void malformedHeadsAreRejectedNamingTheHost() {
    assertMalformed("no :status", "content-type", "text/html");
    assertMalformed("not three digits: 2000", ":status", "2000");
    assertMalformed("out of range: 099", ":status", "099");
    assertMalformed("duplicate :status", ":status", "200", ":status", "204");
    assertMalformed("unexpected pseudo-header :method", ":status", "200", ":method", "GET");
    assertMalformed("pseudo-header :status follows regular fields", "a", "b", ":status", "200");
    assertMalformed("not lowercase: X-Up", ":status", "200", "X-Up", "1");
    assertMalformed("invalid character 0x20 in a field name", ":status", "200", "a b", "1");
    assertMalformed("invalid character 0xd in a field name", ":status", "200", "X-A\r\nx-b", "1");
    assertMalformed("invalid character 0x0 in the value of a", ":status", "200", "a", "x\0y");
    assertMalformed("invalid character 0xd in the value of a", ":status", "200", "a", "x\ry");
    assertMalformed("invalid content-length: 12a", ":status", "200", "content-length", "12a");
    assertMalformed("invalid content-length: ", ":status", "200", "content-length", "");
    assertMalformed("invalid content-length: -1", ":status", "200", "content-length", "-1");
    assertMalformed("content-length repeated with different values", ":status", "200",
        "content-length", "1", "content-length", "2");
    assertMalformed("invalid character 0xa in the value of a", ":status", "200", "a", "x\ny");
    assertMalformed("connection-specific field keep-alive", ":status", "200", "keep-alive", "5");
    assertMalformed("connection-specific field upgrade", ":status", "200", "upgrade", "h2c");
    assertMalformed("connection-specific field proxy-connection", ":status", "200", "proxy-connection", "x");
    assertMalformed("te other than", ":status", "200", "te", "gzip");
    assertMalformed("empty field name", ":status", "200", "", "x");
  }

  @Test
  void trailersRejectPseudoHeaders() throws Exception {
    assertThat(ResponseHeaders.parseTrailers(fields("grpc-status", "0"), () -> "h"))
        .isEqualTo(Headers.of("grpc-status", "0"));
    assertThatThrownBy(() -> ResponseHeaders.parseTrailers(fields(":status", "200"), () -> "example.com"))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("malformed HTTP/2 response from example.com: pseudo-header :status in trailers");
  }

  private static void assertMalformed(String detail, String... namesAndValues) {
    assertThatThrownBy(() -> ResponseHeaders.parseHead(fields(namesAndValues), () -> "example.com"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("malformed HTTP/2 response from example.com: ")
        .hasMessageContaining(detail);
  }

  private static HpackReader.Fields fields(String... namesAndValues) {
    return new HpackReader.Fields() {
      @Override
      public int size() {
        return namesAndValues.length / 2;
      }

      @Override
      public String name(int index) {
        return namesAndValues[index * 2];
      }

      @Override
      public String value(int index) {
        return namesAndValues[index * 2 + 1];
      }

      @Override
      public boolean exceedsLimit() {
        return false;
      }
    };
  }
}
