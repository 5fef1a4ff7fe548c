package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  @Test
  void bodiesHaveNoTrailersByDefault() throws IOException {
    assertThat(RequestBody.create("text", null).trailers()).isSameAs(Headers.EMPTY);
    assertThat(RequestBody.create(new byte[3], null).trailers()).isSameAs(Headers.EMPTY);
  }

  @Test
  void trailersMayDependOnTheWrittenContent() throws IOException {
    RequestBody body = new RequestBody() {
      private long written;

      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8("hello");
        written += 5;
      }

      @Override
      public Headers trailers() {
        return Headers.of("Content-Bytes", Long.toString(written));
      }
    };
    body.writeTo(new Buffer());

    assertThat(body.contentLength()).isEqualTo(-1L);
    assertThat(body.trailers().get("Content-Bytes")).isEqualTo("5");
  }

  @Test
  void byteArrayBodyIsReplayableAndWritesTheArrayWithoutCopyingIt() throws IOException {
    byte[] content = {'a', 'b', 'c'};
    RequestBody body = RequestBody.create(content, null);
    Buffer first = new Buffer();
    body.writeTo(first);
    Buffer second = new Buffer();
    body.writeTo(second);
    assertThat(first.readUtf8()).isEqualTo("abc");
    assertThat(second.readUtf8()).isEqualTo("abc");
    assertThat(body.contentLength()).isEqualTo(3);

    content[0] = 'x';
    Buffer afterChange = new Buffer();
    body.writeTo(afterChange);
    assertThat(afterChange.readUtf8()).isEqualTo("xbc");
  }
}
