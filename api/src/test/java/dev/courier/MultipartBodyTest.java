package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;
import org.junit.jupiter.api.Test;

class MultipartBodyTest {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  private static String written(RequestBody body) throws IOException {
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return buffer.readUtf8();
  }

  @Test
  void formDataIsFramedAsRfc7578Says() throws IOException {
    MultipartBody body = new MultipartBody.Builder("AaB03x")
        .setType(MultipartBody.FORM)
        .addFormDataPart("submit-name", "Larry")
        .addFormDataPart("files", "file1.txt", RequestBody.create("... contents of file1.txt ...", TEXT))
        .build();
    String expected = "--AaB03x\r\n"
        + "Content-Disposition: form-data; name=\"submit-name\"\r\n"
        + "\r\n"
        + "Larry\r\n"
        + "--AaB03x\r\n"
        + "Content-Disposition: form-data; name=\"files\"; filename=\"file1.txt\"\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "\r\n"
        + "... contents of file1.txt ...\r\n"
        + "--AaB03x--\r\n";
    assertThat(written(body)).isEqualTo(expected);
    assertThat(body.contentLength()).isEqualTo(expected.length());
    assertThat(body.contentType().toString()).isEqualTo("multipart/form-data; boundary=AaB03x");
    assertThat(body.contentType().parameter("boundary")).isEqualTo("AaB03x");
    assertThat(body.size()).isEqualTo(2);
    assertThat(body.part(1).headers().get("Content-Disposition"))
        .isEqualTo("form-data; name=\"files\"; filename=\"file1.txt\"");
  }

  @Test
  void mixedPartsWithTheirOwnHeaders() throws IOException {
    MultipartBody body = new MultipartBody.Builder("b")
        .addPart(Headers.of("Content-ID", "<1>"), RequestBody.create("one", TEXT))
        .addPart(RequestBody.create(new byte[] {0, 1}, null))
        .build();
    assertThat(body.type()).isEqualTo(MultipartBody.MIXED);
    assertThat(written(body)).isEqualTo("--b\r\nContent-ID: <1>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\none\r\n"
        + "--b\r\n\r\n\u0000\u0001\r\n--b--\r\n");
    assertThat(body.contentLength()).isEqualTo(written(body).length());
  }

  @Test
  void namesAndFileNamesEscapeQuotesAndLineBreaksAndKeepUtf8() throws IOException {
    MultipartBody body = new MultipartBody.Builder("b")
        .setType(MultipartBody.FORM)
        .addFormDataPart("a\"b\r\nc", "naïve \"résumé\".txt", RequestBody.create("x", null))
        .build();
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    assertThat(buffer.readUtf8()).contains(
        "Content-Disposition: form-data; name=\"a%22b%0D%0Ac\"; filename=\"naïve %22résumé%22.txt\"\r\n\r\nx\r\n");
    assertThat(body.contentLength()).isEqualTo(written(body).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void lengthIsUnknownWhenAPartDoesNotKnowItsOwn() throws IOException {
    MultipartBody body = new MultipartBody.Builder("b")
        .addFormDataPart("known", "1")
        .addPart(new StreamedBody("streamed", false))
        .build();
    assertThat(body.contentLength()).isEqualTo(-1L);
    assertThat(written(body)).isEqualTo("--b\r\nContent-Disposition: form-data; name=\"known\"\r\n\r\n1\r\n"
        + "--b\r\n\r\nstreamed\r\n--b--\r\n");
  }

  @Test
  void oneShotWhenAnyPartIsOneShot() {
    assertThat(new MultipartBody.Builder().addPart(new StreamedBody("x", true)).build().isOneShot()).isTrue();
    assertThat(new MultipartBody.Builder().addFormDataPart("a", "b").build().isOneShot()).isFalse();
  }

  @Test
  void randomBoundaryDiffersPerBodyAndIsAToken() {
    MultipartBody first = new MultipartBody.Builder().addFormDataPart("a", "b").build();
    MultipartBody second = new MultipartBody.Builder().addFormDataPart("a", "b").build();
    assertThat(first.boundary()).isNotEqualTo(second.boundary()).matches("[0-9a-f-]{36}");
    assertThat(first.contentType().parameter("boundary")).isEqualTo(first.boundary());
  }

  @Test
  void boundaryWithSpecialCharactersIsQuotedInTheContentType() {
    MultipartBody body = new MultipartBody.Builder("simple boundary:=?").addFormDataPart("a", "b").build();
    assertThat(body.contentType().toString()).isEqualTo("multipart/mixed; boundary=\"simple boundary:=?\"");
    assertThat(body.contentType().parameter("boundary")).isEqualTo("simple boundary:=?");
  }

  @Test
  void badBoundariesTypesAndPartsAreRefused() {
    assertThatThrownBy(() -> new MultipartBody.Builder("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultipartBody.Builder("x".repeat(71)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultipartBody.Builder("ends "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultipartBody.Builder("a\r\nb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0xd");
    assertThatThrownBy(() -> new MultipartBody.Builder().setType(MediaType.get("text/plain")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multipart");
    assertThatThrownBy(() -> new MultipartBody.Builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> MultipartBody.Part.create(Headers.of("Content-Type", "text/plain"),
        RequestBody.create("x", null))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Content-Type");
    assertThatThrownBy(() -> MultipartBody.Part.create(Headers.of("Content-Length", "1"),
        RequestBody.create("x", null))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Content-Length");
  }

  /** A body of unknown length, as one read from a stream is. */
  private static final class StreamedBody extends RequestBody {
    private final ByteString content;
    private final boolean oneShot;

    StreamedBody(String content, boolean oneShot) {
      this.content = ByteString.encodeUtf8(content);
      this.oneShot = oneShot;
    }

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(content);
    }

    @Override
    public boolean isOneShot() {
      return oneShot;
    }
  }
}
