package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

class ResponseBodyTest {
  private static ResponseBody body(String hex, String contentType) {
    return ResponseBody.create(new Buffer().write(ByteString.decodeHex(hex)),
        contentType == null ? null : MediaType.get(contentType), -1L);
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder result = new StringBuilder();
    char[] buffer = new char[3];
    for (int n; (n = reader.read(buffer)) != -1; ) {
      result.append(buffer, 0, n);
    }
    return result.toString();
  }

  @Test
  void charStreamUsesTheContentTypeCharset() throws IOException {
    String text = "caf\u00e9 \u20ac";
    Buffer latin9 = new Buffer().writeString(text, Charset.forName("ISO-8859-15"));
    ResponseBody body = ResponseBody.create(latin9, MediaType.get("text/plain; charset=ISO-8859-15"), -1L);
    assertThat(readAll(body.charStream())).isEqualTo(text);
  }

  @Test
  void charStreamDefaultsToUtf8() throws IOException {
    assertThat(readAll(body("63616ec3a9", null).charStream())).isEqualTo("can\u00e9");
    assertThat(readAll(body("63616ec3a9", "text/plain; charset=no-such-charset").charStream()))
        .isEqualTo("can\u00e9");
  }

  @Test
  void byteOrderMarkWinsOverTheContentTypeAndIsSkipped() throws IOException {
    String latin1 = "text/plain; charset=iso-8859-1";
    assertThat(readAll(body("efbbbf68c3a9", latin1).charStream())).isEqualTo("h\u00e9");
    assertThat(readAll(body("feff006800e9", latin1).charStream())).isEqualTo("h\u00e9");
    assertThat(readAll(body("fffe6800e900", latin1).charStream())).isEqualTo("h\u00e9");
    assertThat(readAll(body("0000feff00000068000000e9", latin1).charStream())).isEqualTo("h\u00e9");
    assertThat(readAll(body("fffe000068000000e9000000", latin1).charStream())).isEqualTo("h\u00e9");
    assertThat(body("fffe6800e900", latin1).string()).isEqualTo("h\u00e9");
  }

  @Test
  void charStreamIsTheSameReaderAndClosingItClosesTheBody() throws IOException {
    Buffer source = new Buffer().writeUtf8("abc");
    ResponseBody body = ResponseBody.create(source, null, -1L);
    Reader reader = body.charStream();
    assertThat(body.charStream()).isSameAs(reader);
    assertThat((char) reader.read()).isEqualTo('a');
    reader.close();
    assertThatThrownBy(reader::read).isInstanceOf(IOException.class);
  }

  @Test
  void charStreamDoesNotReadUntilTheFirstRead() throws IOException {
    Buffer source = new Buffer().writeUtf8("abc");
    ResponseBody body = ResponseBody.create(source, null, -1L);
    body.charStream();
    assertThat(source.size()).isEqualTo(3);
  }

  @Test
  void stringDecodesUtf16WithoutAByteOrderMarkByTheContentType() throws IOException {
    Buffer utf16 = new Buffer().writeString("hi", StandardCharsets.UTF_16BE);
    assertThat(ResponseBody.create(utf16, MediaType.get("text/plain; charset=utf-16be"), -1L).string())
        .isEqualTo("hi");
  }

  @Test
  void emptyBodyReadsNothingAndKeepsOneSource() throws IOException {
    ResponseBody empty = ResponseBody.empty();
    assertThat(empty.contentType()).isNull();
    assertThat(empty.contentLength()).isZero();
    assertThat(empty.source()).isSameAs(empty.source());
    assertThat(empty.bytes()).isEmpty();
    assertThat(ResponseBody.empty().string()).isEmpty();
    ResponseBody unread = ResponseBody.empty();
    unread.close();
    assertThat(unread.source().exhausted()).isTrue();
  }
}
