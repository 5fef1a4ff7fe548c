package dev.courier.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {
  private final Properties properties = new Properties();

  @Test
  void builderSettingsOverrideSystemPropertiesNamedAfterTheProvider() {
    properties.setProperty("courier.provider.my-policy.maxIdle", "7");
    properties.setProperty("courier.provider.my-policy.keepAlive", "30s");
    properties.setProperty("courier.provider.other.maxIdle", "99");
    properties.setProperty("courier.provider.my-policy.", "ignored: no key");

    ProviderSettings settings = ProviderSettings.of("my-policy", Map.of("maxIdle", "3"), properties);

    assertThat(settings.providerName()).isEqualTo("my-policy");
    assertThat(settings.asMap()).containsExactly(Map.entry("keepAlive", "30s"), Map.entry("maxIdle", "3"));
    assertThat(settings.getInt("maxIdle", 5)).isEqualTo(3);
    assertThat(settings.getDuration("keepAlive", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void realSystemPropertiesAreRead() {
    System.setProperty("courier.provider.settings-test.flag", "true");
    try {
      assertThat(ProviderSettings.of("settings-test", Map.of()).getBoolean("flag", false)).isTrue();
    } finally {
      System.clearProperty("courier.provider.settings-test.flag");
    }
  }

  @Test
  void missingKeysGiveTheDefaults() {
    ProviderSettings settings = ProviderSettings.of("p", Map.of(), properties);

    assertThat(settings.get("a")).isNull();
    assertThat(settings.get("a", "x")).isEqualTo("x");
    assertThat(settings.getInt("a", 4)).isEqualTo(4);
    assertThat(settings.getLong("a", 4L)).isEqualTo(4L);
    assertThat(settings.getBoolean("a", true)).isTrue();
    assertThat(settings.getDuration("a", Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    assertThat(ProviderSettings.EMPTY.asMap()).isEmpty();
  }

  @Test
  void durationsTakeAUnitOrIso8601() {
    ProviderSettings settings = ProviderSettings.of("p", Map.of("a", "250ms", "b", "5m", "c", "1h",
        "d", "PT2S", "e", " 3s "), properties);

    assertThat(settings.getDuration("a", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.getDuration("b", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.getDuration("c", null)).isEqualTo(Duration.ofHours(1));
    assertThat(settings.getDuration("d", null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.getDuration("e", null)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void malformedValuesNameTheProviderTheKeyAndWhereTheValueCameFrom() {
    properties.setProperty("courier.provider.p.fromProperty", "ten");
    ProviderSettings settings = ProviderSettings.of("p", Map.of("count", "lots", "on", "yes",
        "wait", "soon", "back", "-PT1S"), properties);

    assertThatThrownBy(() -> settings.getInt("count", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Provider 'p' setting 'count' (from the client builder) must be an integer: 'lots'");
    assertThatThrownBy(() -> settings.getLong("fromProperty", 0))
        .hasMessage("Provider 'p' setting 'fromProperty' (from system property "
            + "courier.provider.p.fromProperty) must be an integer: 'ten'");
    assertThatThrownBy(() -> settings.getBoolean("on", false)).hasMessageContaining("true or false");
    assertThatThrownBy(() -> settings.getDuration("wait", null)).hasMessageContaining("a duration");
    assertThatThrownBy(() -> settings.getDuration("back", null)).hasMessageContaining("a duration");
  }

  @Test
  void equalSettingsForTheSameProviderAreEqual() {
    ProviderSettings a = ProviderSettings.of("p", Map.of("k", "v"), properties);

    assertThat(a).isEqualTo(ProviderSettings.of("p", Map.of("k", "v"), properties))
        .hasSameHashCodeAs(ProviderSettings.of("p", Map.of("k", "v"), properties))
        .isNotEqualTo(ProviderSettings.of("q", Map.of("k", "v"), properties));
    assertThat(a.toString()).contains("p").contains("k=v");
  }
}
