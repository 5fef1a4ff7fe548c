package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import org.junit.jupiter.api.Test;

class CheckedHeadersTest {
  @Test
  void makesHeadersOfTheArraysPrefixCopied() {
    String[] fields = {"Content-Type", "text/plain", "X-A", "1", "unused", "unused"};

    Headers headers = CheckedHeaders.of(fields, 4);
    fields[1] = "changed";

    assertThat(headers).isEqualTo(Headers.of("Content-Type", "text/plain", "X-A", "1"));
    assertThat(headers.size()).isEqualTo(2);
  }

  @Test
  void noFieldsAreTheEmptyHeaders() {
    assertThat(CheckedHeaders.of(new String[4], 0)).isSameAs(Headers.EMPTY);
  }

  @Test
  void onlyHeadersInstallsTheFactory() {
    assertThat(Headers.EMPTY).isNotNull(); // Headers is initialized and has installed its own.

    assertThatThrownBy(() -> new CheckedHeaders.Factory() {
      @Override
      protected Headers wrap(String[] namesAndValues) {
        return Headers.EMPTY;
      }
    }).isInstanceOf(IllegalStateException.class).hasMessage("Only Headers creates the factory");
  }
}
