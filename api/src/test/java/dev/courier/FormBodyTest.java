package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class FormBodyTest {
  private static String written(RequestBody body) throws IOException {
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    assertThat(body.contentLength()).isEqualTo(buffer.size());
    return buffer.readUtf8();
  }

  @Test
  void encodesAsTheWhatwgFormSerializerDoes() throws IOException {
    FormBody body = new FormBody.Builder()
        .add("a b", "c+d&e=f")
        .add("safe", "AZaz09*-._")
        .add("reserved", "~!'()/:;?@[]%")
        .add("café", "€ 😀")
        .build();
    assertThat(written(body)).isEqualTo("a+b=c%2Bd%26e%3Df"
        + "&safe=AZaz09*-._"
        + "&reserved=%7E%21%27%28%29%2F%3A%3B%3F%40%5B%5D%25"
        + "&caf%C3%A9=%E2%82%AC+%F0%9F%98%80");
    assertThat(body.contentType().toString()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(body.size()).isEqualTo(4);
    assertThat(body.name(0)).isEqualTo("a b");
    assertThat(body.value(0)).isEqualTo("c+d&e=f");
    assertThat(body.encodedValue(0)).isEqualTo("c%2Bd%26e%3Df");
    assertThat(body.name(3)).isEqualTo("café");
    assertThat(body.value(3)).isEqualTo("€ 😀");
  }

  @Test
  void controlCharactersAndUnpairedSurrogatesAreEncoded() throws IOException {
    FormBody body = new FormBody.Builder().add("k", "\r\n\u0000\u007f\ud800").build();
    assertThat(written(body)).isEqualTo("k=%0D%0A%00%7F%EF%BF%BD");
  }

  @Test
  void addEncodedKeepsEscapesAndPlusButEncodesTheRest() throws IOException {
    FormBody body = new FormBody.Builder()
        .addEncoded("n%20ame", "a+b%2Fc%zz%4&x=y é")
        .build();
    assertThat(written(body)).isEqualTo("n%20ame=a+b%2Fc%25zz%254%26x%3Dy+%C3%A9");
    assertThat(body.name(0)).isEqualTo("n ame");
    assertThat(body.value(0)).isEqualTo("a b/c%zz%4&x=y é");
  }

  @Test
  void otherCharsetEncodesInItAndSendsUnencodableCharactersAsNumericReferences() throws IOException {
    FormBody body = new FormBody.Builder(StandardCharsets.ISO_8859_1)
        .add("name", "café €")
        .build();
    assertThat(written(body)).isEqualTo("name=caf%E9+%26%238364%3B");
    assertThat(body.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(body.value(0)).isEqualTo("café &#8364;");

    FormBody shiftJis = new FormBody.Builder(Charset.forName("Shift_JIS")).add("k", "日本").build();
    assertThat(written(shiftJis)).isEqualTo("k=%93%FA%96%7B");
    assertThat(shiftJis.value(0)).isEqualTo("日本");
  }

  @Test
  void charsetThatDoesNotKeepAsciiGivesWayToUtf8() throws IOException {
    FormBody body = new FormBody.Builder(StandardCharsets.UTF_16).add("k", "é").build();
    assertThat(body.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(written(body)).isEqualTo("k=%C3%A9");
  }

  @Test
  void emptyFormIsAnEmptyReplayableBody() throws IOException {
    FormBody body = new FormBody.Builder().build();
    assertThat(written(body)).isEmpty();
    assertThat(body.contentLength()).isZero();
    assertThat(body.isOneShot()).isFalse();
  }

  @Test
  void bodyIsTheSameEveryTimeItIsWritten() throws IOException {
    FormBody body = new FormBody.Builder().add("a", "1").add("a", "2").build();
    assertThat(written(body)).isEqualTo("a=1&a=2");
    assertThat(written(body)).isEqualTo("a=1&a=2");
  }
}
