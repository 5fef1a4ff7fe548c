package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void keepsKnownIdentifiersInOrderAndDropsUnknownOnes() {
    Settings settings = new Settings()
        .set(Settings.MAX_FRAME_SIZE, 20_000)
        .set(0x42, 1)
        .set(Settings.ENABLE_PUSH, 0)
        .set(Settings.MAX_FRAME_SIZE, 30_000);

    assertThat(settings.size()).isEqualTo(2);
    assertThat(settings.idAt(0)).isEqualTo(Settings.ENABLE_PUSH);
    assertThat(settings.idAt(1)).isEqualTo(Settings.MAX_FRAME_SIZE);
    assertThat(settings.get(Settings.MAX_FRAME_SIZE)).isEqualTo(30_000);
    assertThat(settings.isSet(Settings.INITIAL_WINDOW_SIZE)).isFalse();
    assertThat(settings.isSet(0x42)).isFalse();
  }
}
