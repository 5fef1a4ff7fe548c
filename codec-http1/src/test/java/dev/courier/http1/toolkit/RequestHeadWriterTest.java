package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import java.net.ProxySelector;
import java.util.List;
import javax.net.SocketFactory;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class RequestHeadWriterTest {
  private final Buffer buffer = new Buffer();

  @Test
  void writesRequestLinesInOriginAndAbsoluteFormWithTheGivenVersion() {
    HttpUrl url = HttpUrl.parse("http://user:pw@example.com:8080/a%20b?q=1#frag");

    RequestHeadWriter.writeRequestLine(buffer, "GET", url, false, RequestHeadWriter.HTTP_1_0);
    RequestHeadWriter.writeRequestLine(buffer, "GET", url, true, RequestHeadWriter.HTTP_1_1);

    assertThat(buffer.readUtf8()).isEqualTo("GET /a%20b?q=1 HTTP/1.0\r\n"
        + "GET http://example.com:8080/a%20b?q=1 HTTP/1.1\r\n");
  }

  @Test
  void requestWithoutBodyKeepsItsFieldsAsGiven() {
    Request request = new Request.Builder().url("http://example.com/")
        .header("Accept", "*/*").header("Content-Length", "0").build();

    BodyFraming framing = RequestHeadWriter.writeFieldsAndFraming(buffer, request, 0L);

    assertThat(framing).isEqualTo(BodyFraming.NONE);
    assertThat(buffer.readUtf8()).isEqualTo("Accept: */*\r\nContent-Length: 0\r\n");
  }

  @Test
  void knownLengthReplacesTheCallersFramingFields() {
    Request request = new Request.Builder().url("http://example.com/")
        .header("Content-Length", "99").header("X-A", "1").header("Transfer-Encoding", "gzip")
        .post(RequestBody.create("four", null)).build();

    BodyFraming framing = RequestHeadWriter.writeFieldsAndFraming(buffer, request, 4L);

    assertThat(framing).isEqualTo(BodyFraming.FIXED_LENGTH);
    assertThat(buffer.readUtf8()).isEqualTo("X-A: 1\r\nContent-Length: 4\r\n");
  }

  @Test
  void unknownLengthOrAChunkedRequestIsFramedChunkedWithoutContentLength() {
    Request unknown = new Request.Builder().url("http://example.com/")
        .header("Content-Length", "4").post(RequestBody.create("four", null)).build();
    Request asked = new Request.Builder().url("http://example.com/")
        .header("Transfer-Encoding", "chunked").post(RequestBody.create("four", null)).build();

    assertThat(RequestHeadWriter.writeFieldsAndFraming(buffer, unknown, -1L))
        .isEqualTo(BodyFraming.CHUNKED);
    assertThat(RequestHeadWriter.writeFieldsAndFraming(buffer, asked, 4L))
        .isEqualTo(BodyFraming.CHUNKED);
    assertThat(buffer.readUtf8())
        .isEqualTo("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n");
  }

  @Test
  void writeRefusesFieldsThatWouldBreakTheLine() {
    assertThatThrownBy(() -> RequestHeadWriter.writeField(buffer, "X-A", "v\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestHeadWriter.writeField(buffer, "", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestHeadWriter.writeField(buffer, "X\0", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void peerNameBracketsIpv6Literals() {
    assertThat(PeerName.of(address("example.com", 443))).isEqualTo("example.com:443");
    assertThat(PeerName.of(address("::1", 8080))).isEqualTo("[::1]:8080");
  }

  private static Address address(String host, int port) {
    return new Address(host, port, Dns.SYSTEM, SocketFactory.getDefault(), null, null, null,
        Authenticator.NONE, null, ProxySelector.getDefault(), List.of(Protocol.HTTP_1_1));
  }
}
