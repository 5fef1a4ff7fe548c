package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolProvidersTest {
  /** A provider with a chosen name and priority; never asked to create a connection here. */
  private static ProtocolConnectionProvider provider(String name, int priority, Protocol... protocols) {
    return new ProtocolConnectionProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public Set<Protocol> protocols() {
        return Set.of(protocols);
      }

      @Override
      public ProtocolConnection create(Transport transport, ConnectionOptions options,
          ProtocolConnection.Listener listener) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void explicitProvidersAreUsedAlone() {
    ProtocolConnectionProvider only = provider("only", 0, Protocol.H2_PRIOR_KNOWLEDGE);

    ProtocolProviders providers = ProtocolProviders.discover(List.of(only));

    assertThat(providers.supported()).containsExactly(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(providers.forProtocol(Protocol.H2_PRIOR_KNOWLEDGE)).isSameAs(only);
    assertThat(providers.forProtocol(Protocol.HTTP_1_1)).isNull();
  }

  @Test
  void discoveryFindsTheHttp1CodecOnTheClassPath() {
    ProtocolProviders providers = ProtocolProviders.discover(List.of());

    assertThat(providers.supported()).contains(Protocol.HTTP_1_1);
    assertThat(providers.forProtocol(Protocol.HTTP_1_1).name()).isEqualTo("courier-http1");
    assertThat(ProtocolProviders.discover(null).supported()).isEqualTo(providers.supported());
  }

  @Test
  void higherPriorityWinsPerProtocolAndTiesKeepTheFirst() {
    ProtocolConnectionProvider low = provider("low", 0, Protocol.HTTP_1_1, Protocol.HTTP_2);
    ProtocolConnectionProvider high = provider("high", 5, Protocol.HTTP_2);
    ProtocolConnectionProvider tie = provider("tie", 0, Protocol.HTTP_1_1);

    ProtocolProviders providers = ProtocolProviders.of(List.of(low, high, tie));

    assertThat(providers.forProtocol(Protocol.HTTP_2)).isSameAs(high);
    assertThat(providers.forProtocol(Protocol.HTTP_1_1)).isSameAs(low);
    assertThat(providers.toString()).contains("http/1.1=low", "h2=high");
  }

  @Test
  void providerNamedBySystemPropertyWinsForTheProtocolsItSpeaks() {
    ProtocolConnectionProvider builtIn = provider("built-in", 5, Protocol.HTTP_1_1, Protocol.HTTP_2);
    ProtocolConnectionProvider mine = provider("mine", 0, Protocol.HTTP_1_1);
    System.setProperty(ProtocolConnectionProvider.class.getName(), "mine");
    try {
      ProtocolProviders providers = ProtocolProviders.of(List.of(builtIn, mine));

      assertThat(providers.forProtocol(Protocol.HTTP_1_1)).isSameAs(mine);
      assertThat(providers.forProtocol(Protocol.HTTP_2)).isSameAs(builtIn);
    } finally {
      System.clearProperty(ProtocolConnectionProvider.class.getName());
    }
  }

  @Test
  void unknownProviderNamedBySystemPropertyIsRejected() {
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1);
    System.setProperty(ProtocolConnectionProvider.class.getName(), "missing");
    try {
      assertThatThrownBy(() -> ProtocolProviders.of(List.of(builtIn)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("No ProtocolConnectionProvider named 'missing'")
          .hasMessageContaining("'built-in' (priority 0)");
    } finally {
      System.clearProperty(ProtocolConnectionProvider.class.getName());
    }
  }

  @Test
  void providerChosenForOneProtocolLeavesTheOthersToDiscovery() {
    ProtocolConnectionProvider builtIn = provider("built-in", 5, Protocol.HTTP_1_1, Protocol.HTTP_2);
    ProtocolConnectionProvider mine = provider("mine", 0, Protocol.HTTP_1_1, Protocol.HTTP_2);

    ProtocolProviders providers = ProtocolProviders.of(List.of(builtIn, mine),
        Map.of(Protocol.HTTP_2, "mine"), Map.of());

    assertThat(providers.forProtocol(Protocol.HTTP_2)).isSameAs(mine);
    assertThat(providers.forProtocol(Protocol.HTTP_1_1)).isSameAs(builtIn);
  }

  @Test
  void providerChosenForAProtocolItDoesNotSpeakIsRejectedNamingTheProtocol() {
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1, Protocol.HTTP_2);
    ProtocolConnectionProvider mine = provider("mine", 0, Protocol.HTTP_1_1);

    assertThatThrownBy(() -> ProtocolProviders.of(List.of(builtIn, mine),
        Map.of(Protocol.HTTP_2, "mine"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocolProvider(h2): no provider named 'mine' speaks h2")
        .hasMessageContaining("'mine' speaking [http/1.1]");
    assertThatThrownBy(() -> ProtocolProviders.of(List.of(builtIn),
        Map.of(Protocol.of("h3", true), "built-in"), Map.of()))
        .hasMessageContaining("protocolProvider(h3)");
  }

  @Test
  void http10ProviderServesHttp11ConnectionsOnlyWhenChosen() {
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1);
    ProtocolConnectionProvider old = provider("old", 10, Protocol.HTTP_1_0);

    ProtocolProviders discovered = ProtocolProviders.of(List.of(builtIn, old));
    ProtocolProviders chosenFor11 = ProtocolProviders.of(List.of(builtIn, old),
        Map.of(Protocol.HTTP_1_1, "old"), Map.of());
    ProtocolProviders chosenFor10 = ProtocolProviders.of(List.of(builtIn, old),
        Map.of(Protocol.HTTP_1_0, "old"), Map.of());

    assertThat(discovered.forProtocol(Protocol.HTTP_1_1)).isSameAs(builtIn);
    assertThat(discovered.spokenFor(Protocol.HTTP_1_1)).isEqualTo(Protocol.HTTP_1_1);
    assertThat(chosenFor11.forProtocol(Protocol.HTTP_1_1)).isSameAs(old);
    assertThat(chosenFor11.spokenFor(Protocol.HTTP_1_1)).isEqualTo(Protocol.HTTP_1_0);
    assertThat(chosenFor10.forProtocol(Protocol.HTTP_1_1)).isSameAs(old);
    System.setProperty(ProtocolConnectionProvider.class.getName(), "old");
    try {
      assertThat(ProtocolProviders.of(List.of(builtIn, old)).forProtocol(Protocol.HTTP_1_1)).isSameAs(old);
    } finally {
      System.clearProperty(ProtocolConnectionProvider.class.getName());
    }
  }

  @Test
  void protocolsCourierDoesNotKnowAreServedAfterTheKnownOnes() {
    Protocol h3 = Protocol.of("h3", true);
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1);
    ProtocolConnectionProvider quic = provider("quic", 0, h3);

    ProtocolProviders providers = ProtocolProviders.of(List.of(quic, builtIn));

    assertThat(providers.supported()).containsExactly(Protocol.HTTP_1_1, h3);
    assertThat(providers.forProtocol(Protocol.of("h3", true))).isSameAs(quic);
  }

  @Test
  void providerWhoseProtocolsFailIsSkipped() {
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1);
    ProtocolConnectionProvider broken = new ProtocolConnectionProvider() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public int priority() {
        return 9;
      }

      @Override
      public Set<Protocol> protocols() {
        throw new IllegalStateException("not today");
      }

      @Override
      public ProtocolConnection create(Transport transport, ConnectionOptions options,
          ProtocolConnection.Listener listener) {
        throw new UnsupportedOperationException();
      }
    };

    ProtocolProviders providers = ProtocolProviders.of(List.of(broken, builtIn));

    assertThat(providers.forProtocol(Protocol.HTTP_1_1)).isSameAs(builtIn);
  }

  @Test
  void eachProviderGetsItsOwnSettings() {
    ProtocolConnectionProvider builtIn = provider("built-in", 0, Protocol.HTTP_1_1);
    ProtocolConnectionProvider other = provider("other", 0, Protocol.HTTP_2);

    ProtocolProviders providers = ProtocolProviders.of(List.of(builtIn, other), Map.of(),
        Map.of("built-in", Map.of("window", "64"), "unused", Map.of("a", "b")));

    assertThat(providers.settings("built-in").asMap()).containsExactly(Map.entry("window", "64"));
    assertThat(providers.settings("built-in").providerName()).isEqualTo("built-in");
    assertThat(providers.settings("other").asMap()).isEmpty();
  }
}
