package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.List;
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
}
