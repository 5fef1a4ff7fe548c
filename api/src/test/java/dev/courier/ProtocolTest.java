package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  @Test
  void knownIdentifiersResolveToTheConstants() throws IOException {
    assertThat(Protocol.get("http/1.1")).isSameAs(Protocol.HTTP_1_1);
    assertThat(Protocol.get("h2")).isSameAs(Protocol.HTTP_2);
    assertThat(Protocol.of("h2", true)).isSameAs(Protocol.HTTP_2);
    assertThat(Protocol.of("http/1.0", false)).isSameAs(Protocol.HTTP_1_0);
    assertThat(Protocol.HTTP_2.id()).isEqualTo("h2");
    assertThat(Protocol.HTTP_2.name()).isEqualTo("HTTP_2");
    assertThat(Protocol.H2_PRIOR_KNOWLEDGE.toString()).isEqualTo("h2_prior_knowledge");
    assertThat(Protocol.HTTP_1_1.isKnown()).isTrue();
  }

  @Test
  void valuesListsTheKnownProtocolsInDeclarationOrderAsAFreshArray() {
    Protocol[] values = Protocol.values();
    assertThat(values).containsExactly(
        Protocol.HTTP_1_0, Protocol.HTTP_1_1, Protocol.HTTP_2, Protocol.H2_PRIOR_KNOWLEDGE);
    values[0] = null;
    assertThat(Protocol.values()[0]).isSameAs(Protocol.HTTP_1_0);
  }

  @Test
  void valueOfFindsTheConstantsByNameAsTheEnumDid() {
    assertThat(Protocol.valueOf("HTTP_1_1")).isSameAs(Protocol.HTTP_1_1);
    assertThat(Protocol.valueOf("H2_PRIOR_KNOWLEDGE")).isSameAs(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThatThrownBy(() -> Protocol.valueOf("h2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("No Protocol constant named h2");
  }

  @Test
  void multiplexingOfTheKnownProtocols() {
    assertThat(Protocol.HTTP_1_0.isMultiplexed()).isFalse();
    assertThat(Protocol.HTTP_1_1.isMultiplexed()).isFalse();
    assertThat(Protocol.HTTP_2.isMultiplexed()).isTrue();
    assertThat(Protocol.H2_PRIOR_KNOWLEDGE.isMultiplexed()).isTrue();
  }

  @Test
  void aProviderMayAnnounceAProtocolCourierDoesNotKnow() {
    Protocol h3 = Protocol.of("h3", true);
    Protocol spdy = Protocol.of("spdy/3.1", false);

    assertThat(h3.id()).isEqualTo("h3");
    assertThat(h3.name()).isEqualTo("h3");
    assertThat(h3.isMultiplexed()).isTrue();
    assertThat(h3.isKnown()).isFalse();
    assertThat(spdy.isMultiplexed()).isFalse();
    assertThat(h3).isEqualTo(Protocol.of("h3", true)).hasSameHashCodeAs(Protocol.of("h3", true));
    assertThat(h3).isNotEqualTo(spdy).isNotEqualTo(Protocol.HTTP_2);
    assertThat(Protocol.values()).doesNotContain(h3);
  }

  @Test
  void getRejectsIdentifiersCourierDoesNotKnow() {
    assertThatThrownBy(() -> Protocol.get("h3"))
        .isInstanceOf(IOException.class)
        .hasMessage("Unexpected protocol: h3");
  }

  @Test
  void ofRejectsInvalidIdentifiersAndContradictionsOfKnownOnes() {
    assertThatThrownBy(() -> Protocol.of("", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255");
    assertThatThrownBy(() -> Protocol.of("x".repeat(256), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255");
    assertThatThrownBy(() -> Protocol.of("h3\r\nX: y", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("printable ASCII")
        .hasMessageContaining("h3\\r\\nX: y");
    assertThatThrownBy(() -> Protocol.of("my proto", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Protocol.of("h2", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Protocol h2 is multiplexed");
    assertThatThrownBy(() -> Protocol.of(null, false)).isInstanceOf(NullPointerException.class);
  }
}
