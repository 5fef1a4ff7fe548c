package dev.courier.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Route;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.util.List;
import javax.net.SocketFactory;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

class TransportTest {
  private static final Route ROUTE = new Route(
      new Address("example.com", 80, Dns.SYSTEM, SocketFactory.getDefault(), null, null, null,
          Authenticator.NONE, null, ProxySelector.getDefault(), List.of(Protocol.HTTP_1_1)),
      Proxy.NO_PROXY, InetSocketAddress.createUnresolved("example.com", 80));

  private final TransportLink link = new TransportLink() {
    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean hasReadableBytes() {
      return false;
    }

    @Override
    public boolean staysQuiet(int timeoutMillis) {
      return true;
    }

    @Override
    public void close() {
    }
  };

  @Test
  void unbufferedSourceIsTheOneGivenAndNullWhenNoneIs() {
    Source under = new Buffer();
    BufferedSource source = Okio.buffer(under);
    Buffer sink = new Buffer();

    Transport offering = new Transport(link, source, under, sink, ROUTE, null, Protocol.HTTP_1_1);
    Transport notOffering = new Transport(link, source, sink, ROUTE, null, Protocol.HTTP_1_1);

    assertThat(offering.source()).isSameAs(source);
    assertThat(offering.unbufferedSource()).isSameAs(under);
    assertThat(notOffering.unbufferedSource()).isNull();
  }

  @Test
  void unbufferedSourceWithoutABufferedOneIsRefused() {
    assertThatThrownBy(() -> new Transport(link, null, new Buffer(), null, ROUTE, null,
        Protocol.HTTP_1_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unbufferedSource given without a source");
  }
}
