package dev.courier.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;

class BodyDescriptionTest {
  @Test
  void printsTextInTheCharsetItsTypeNames() {
    BodyCapture capture = captured(100, "café".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(BodyDescription.describe("END", capture, MediaType.get("text/plain; charset=iso-8859-1"), null))
        .containsExactly("café", "END (4-byte body)");
  }

  @Test
  void summarisesBytesThatAreNotValidInTheCharset() {
    BodyCapture capture = captured(100, new byte[] {'a', (byte) 0xc3, 'b'});

    assertThat(BodyDescription.describe("END", capture, null, null)).containsExactly("END (binary 3-byte body omitted)");
  }

  @Test
  void summarisesEncodingsItCannotDecodeAndGzipThatIsBroken() {
    assertThat(BodyDescription.describe("END", captured(100, new byte[] {1, 2, 3}), null, "br"))
        .containsExactly("END (3-byte br-encoded body omitted)");
    assertThat(BodyDescription.describe("END", captured(100, new byte[] {1, 2, 3}), null, "gzip"))
        .containsExactly("END (3-byte gzip-encoded body omitted: it is not valid gzip)");
  }

  @Test
  void aGzipBodyThatDecodesPastTheLimitIsSummarised() throws IOException {
    Buffer gzipped = new Buffer();
    try (BufferedSink gzip = Okio.buffer(new GzipSink(gzipped))) {
      gzip.write(new byte[100_000]);
    }
    long size = gzipped.size();
    BodyCapture capture = captured(1024, gzipped.readByteArray());

    assertThat(BodyDescription.describe("END", capture, null, "gzip"))
        .containsExactly("END (" + size + "-byte gzip-encoded body omitted: over the 1024-byte limit once decoded)");
  }

  private static BodyCapture captured(long limit, byte[] bytes) {
    BodyCapture capture = new BodyCapture(limit);
    Buffer buffer = new Buffer().write(bytes);
    capture.copyFrom(buffer, 0, buffer.size());
    return capture;
  }
}
