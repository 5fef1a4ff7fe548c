package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Handshake;
import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryMetadataTest {
  @Test
  void roundTripsEveryField() throws IOException {
    Certificate certificate = TestCertificateAuthority.create("Metadata CA").issue("example.com")
        .certificate();
    Handshake handshake = new Handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256",
        List.of(certificate), List.of());
    EntryMetadata metadata = new EntryMetadata("https://example.com/a?b=c", "GET",
        Headers.of("Accept-Encoding", "gzip"), Protocol.HTTP_2, 203, "",
        Headers.of("Content-Type", "text/plain; charset=utf-8", "X-Dup", "1", "X-Dup", "2",
            "X-Unicode", "caf\u00e9"),
        handshake, 1_700_000_000_000L, 1_700_000_000_250L);

    EntryMetadata read = EntryMetadata.fromJson(metadata.toJson());
    assertThat(read.url()).isEqualTo("https://example.com/a?b=c");
    assertThat(read.method()).isEqualTo("GET");
    assertThat(read.varyHeaders()).isEqualTo(metadata.varyHeaders());
    assertThat(read.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(read.code()).isEqualTo(203);
    assertThat(read.message()).isEmpty();
    assertThat(read.headers()).isEqualTo(metadata.headers());
    assertThat(read.handshake()).isEqualTo(handshake);
    assertThat(read.sentRequestAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(read.receivedResponseAtMillis()).isEqualTo(1_700_000_000_250L);
  }

  @Test
  void cleartextHasNoHandshake() throws IOException {
    EntryMetadata metadata = new EntryMetadata("http://example.com/", "GET", Headers.EMPTY,
        Protocol.HTTP_1_1, 200, "OK", Headers.EMPTY, null, 1, 2);
    String json = new String(metadata.toJson(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"version\":1,\"url\":\"http://example.com/\"");
    assertThat(json).doesNotContain("handshake");
    assertThat(EntryMetadata.fromJson(metadata.toJson()).handshake()).isNull();
  }

  @Test
  void toResponseAnswersTheGivenRequest() {
    EntryMetadata metadata = new EntryMetadata("http://example.com/", "GET", Headers.EMPTY,
        Protocol.HTTP_1_1, 200, "OK", Headers.of("ETag", "\"v\""), null, 10, 20);
    Request request = new Request.Builder().url("http://example.com/").head().build();
    Response response = metadata.toResponse(request, ResponseBody.empty());
    assertThat(response.request()).isSameAs(request);
    assertThat(response.header("ETag")).isEqualTo("\"v\"");
    assertThat(response.sentRequestAtMillis()).isEqualTo(10);
    assertThat(response.receivedResponseAtMillis()).isEqualTo(20);
  }

  @Test
  void rejectsWhatIsNotMetadata() {
    assertThatThrownBy(() -> EntryMetadata.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> EntryMetadata.fromJson("{\"version\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessage("cache metadata has an unknown version");
    assertThatThrownBy(() -> EntryMetadata.fromJson(
        "{\"version\":1,\"code\":200,\"url\":\"u\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lacks");
  }

  @Test
  void rejectsAStoredHeaderHoldingCrLfOrNul() {
    for (String value : new String[] {"a\\rb", "a\\nb", "a\\u0000b"}) {
      String json = "{\"version\":1,\"code\":200,\"url\":\"u\",\"method\":\"GET\","
          + "\"protocol\":\"http/1.1\",\"message\":\"OK\",\"varyHeaders\":[],"
          + "\"headers\":[[\"X-Note\",\"" + value + "\"]]}";
      assertThatThrownBy(() -> EntryMetadata.fromJson(json.getBytes(StandardCharsets.UTF_8)))
          .as(value)
          .isInstanceOf(IOException.class)
          .hasMessage("cache metadata has a malformed header");
    }
  }
}
