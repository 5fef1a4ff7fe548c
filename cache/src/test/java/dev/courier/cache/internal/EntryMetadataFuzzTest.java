package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.io.IOException;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parsing of stored entry metadata, {@link EntryMetadata#fromJson}, as a cache reads it
 * back from disk: what parses must turn into a response and must survive {@code toJson} and a
 * second parse unchanged. Anything but an {@link IOException} is a bug. Seeds live in {@code
 * src/test/resources/fuzz/cache-metadata}.
 */
class EntryMetadataFuzzTest {
  private static final Request REQUEST = new Request.Builder().url("https://fuzz.example/a").build();

  @Test
  void metadataFailsOnlyWithIOException() {
    FuzzResult result = Fuzzer.forTarget("cache-metadata")
        .corpusResource("fuzz/cache-metadata")
        .dictionary("\"version\":1", "\"url\":", "\"method\":", "\"varyHeaders\":", "\"protocol\":",
            "\"code\":", "\"message\":", "\"headers\":", "\"handshake\":", "\"tlsVersion\":",
            "\"cipherSuite\":", "\"peerCertificates\":", "\"localCertificates\":",
            "\"sentRequestAtMillis\":", "\"receivedResponseAtMillis\":", "null", "true", "[]", "{}",
            "[[\"a\",\"b\"]]", "\"h2\"", "\"http/1.1\"", "1e400", "-0", "9223372036854775808",
            "\"\\u0000\"", "\"\\ud800\"", "\"MIIB\"")
        .allow(IOException.class)
        .build()
        .run(EntryMetadataFuzzTest::parse);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static void parse(byte[] input) throws IOException {
    EntryMetadata metadata = EntryMetadata.fromJson(input);
    Response response = metadata.toResponse(REQUEST, ResponseBody.create(new byte[0], null));
    response.headers().toString();
    EntryMetadata again = EntryMetadata.fromJson(metadata.toJson());
    if (!Objects.equals(again.url(), metadata.url())
        || !Objects.equals(again.method(), metadata.method())
        || !again.varyHeaders().equals(metadata.varyHeaders())
        || again.protocol() != metadata.protocol()
        || again.code() != metadata.code()
        || !Objects.equals(again.message(), metadata.message())
        || !again.headers().equals(metadata.headers())
        || !Objects.equals(again.handshake(), metadata.handshake())
        || again.sentRequestAtMillis() != metadata.sentRequestAtMillis()
        || again.receivedResponseAtMillis() != metadata.receivedResponseAtMillis()) {
      throw new AssertionError("metadata changed in a round trip through JSON");
    }
  }
}
