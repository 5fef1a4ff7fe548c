package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadsTest {
  @Test
  void readsUpToTheBlankLineAndLeavesTheRestUnread() throws IOException {
    InputStream in = stream("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody\r\n\r\n");

    assertThat(RequestHeads.read(in)).isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("body\r\n\r\n");
  }

  @Test
  void bareLineFeedsOrALoneCarriageReturnDoNotEndTheHead() throws IOException {
    InputStream in = stream("GET / HTTP/1.1\n\nA: b\r\r\n\r\n");

    assertThat(RequestHeads.read(in)).isEqualTo("GET / HTTP/1.1\n\nA: b\r\r\n\r\n");
  }

  @Test
  void streamEndingFirstFailsReadShowingWhatCameAndIsNullForReadOrNull() throws IOException {
    assertThatThrownBy(() -> RequestHeads.read(stream("GET / HTTP/1.1\r\n")))
        .isInstanceOf(IOException.class)
        .hasMessage("request head ended early: GET / HTTP/1.1\r\n");
    assertThat(RequestHeads.readOrNull(stream("GET / HTTP/1.1\r\n"))).isNull();
    assertThat(RequestHeads.readOrNull(stream(""))).isNull();
    assertThat(RequestHeads.readOrNull(stream("GET / HTTP/1.1\r\n\r\n"))).isEqualTo("GET / HTTP/1.1\r\n\r\n");
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
