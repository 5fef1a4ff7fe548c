package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

class ForwardingRequestBodyTest {
  /** A one-shot duplex body with trailers and a length, so that every default differs. */
  private static final class Unusual extends RequestBody {
    @Override
    public MediaType contentType() {
      return MediaType.get("text/plain; charset=utf-8");
    }

    @Override
    public long contentLength() {
      return 5;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.writeUtf8("hello");
    }

    @Override
    public Headers trailers() {
      return Headers.of("Checksum", "abc");
    }

    @Override
    public boolean isOneShot() {
      return true;
    }

    @Override
    public boolean isDuplex() {
      return true;
    }
  }

  @Test
  void forwardsEveryPropertyOfTheDelegate() throws IOException {
    RequestBody delegate = new Unusual();
    ForwardingRequestBody body = new ForwardingRequestBody(delegate) {};
    assertThat(body.delegate()).isSameAs(delegate);
    assertThat(body.contentType()).isEqualTo(delegate.contentType());
    assertThat(body.contentLength()).isEqualTo(5);
    assertThat(body.trailers()).isEqualTo(Headers.of("Checksum", "abc"));
    assertThat(body.isOneShot()).isTrue();
    assertThat(body.isDuplex()).isTrue();
    Buffer written = new Buffer();
    body.writeTo(written);
    assertThat(written.readUtf8()).isEqualTo("hello");
  }

  @Test
  void anOverriddenWriteSeesTheDelegatesBytes() throws IOException {
    ForwardingRequestBody upperCase = new ForwardingRequestBody(new Unusual()) {
      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        Buffer original = new Buffer();
        delegate().writeTo(original);
        sink.writeUtf8(original.readUtf8().toUpperCase(java.util.Locale.ROOT));
      }
    };
    Buffer written = new Buffer();
    upperCase.writeTo(written);
    assertThat(written.readUtf8()).isEqualTo("HELLO");
    assertThat(upperCase.isOneShot()).isTrue();
  }

  @Test
  void refusesANullDelegate() {
    assertThatThrownBy(() -> new ForwardingRequestBody(null) {})
        .isInstanceOf(NullPointerException.class).hasMessageContaining("delegate");
  }
}
