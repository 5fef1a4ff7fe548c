package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Http1LimitsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(Http1Limits.DEFAULT.maxHeadBytes()).isEqualTo(256 * 1024);
    assertThat(Http1Limits.DEFAULT.maxTrailerBytes()).isEqualTo(256 * 1024);
    assertThat(Http1Limits.DEFAULT.maxChunkSizeLineBytes()).isEqualTo(8 * 1024);
    assertThat(Http1Limits.builder().build()).isEqualTo(Http1Limits.DEFAULT);
  }

  @Test
  void newBuilderStartsFromTheLimitsAndLeavesThemUnchanged() {
    Http1Limits limits = Http1Limits.builder().maxHeadBytes(100).maxTrailerBytes(50)
        .maxChunkSizeLineBytes(10).build();

    Http1Limits changed = limits.newBuilder().maxTrailerBytes(70).build();

    assertThat(changed.maxHeadBytes()).isEqualTo(100);
    assertThat(changed.maxTrailerBytes()).isEqualTo(70);
    assertThat(changed.maxChunkSizeLineBytes()).isEqualTo(10);
    assertThat(limits.maxTrailerBytes()).isEqualTo(50);
    assertThat(changed).isNotEqualTo(limits).hasToString(
        "Http1Limits{maxHeadBytes=100, maxTrailerBytes=70, maxChunkSizeLineBytes=10}");
  }

  @Test
  void buildRejectsLimitsThatCannotHoldALineNamingTheSetting() {
    assertThatThrownBy(() -> Http1Limits.builder().maxHeadBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxHeadBytes <= 0: 0");
    assertThatThrownBy(() -> Http1Limits.builder().maxTrailerBytes(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTrailerBytes <= 0: -1");
    assertThatThrownBy(() -> Http1Limits.builder().maxChunkSizeLineBytes(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxChunkSizeLineBytes < 3: 2");
  }
}
