package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultRouteSelectorTest {
  private final DefaultRouteSelector selector = new DefaultRouteSelector();
  private final RecordingEventListener listener = new RecordingEventListener();
  private final FakeCall call = new FakeCall("http://example.com/");
  private final List<String> lookups = new ArrayList<>();

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Resolves every name to the given addresses and records the names asked for. */
  private Dns dns(String... ips) {
    return host -> {
      lookups.add(host);
      List<InetAddress> result = new ArrayList<>();
      for (String literal : ips) {
        result.add(ip(literal));
      }
      return result;
    };
  }

  private static ProxySelector selecting(List<Proxy> proxies) {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return proxies;
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
    };
  }

  private static List<InetSocketAddress> socketAddresses(List<Route> routes) {
    List<InetSocketAddress> result = new ArrayList<>();
    for (Route route : routes) {
      result.add(route.socketAddress());
    }
    return result;
  }

  @Test
  void everyResolvedAddressBecomesADirectRouteInDnsOrder() throws IOException {
    Address address = new AddressBuilder("example.com", 8080).dns(dns("127.0.0.3", "127.0.0.2")).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(socketAddresses(routes)).containsExactly(
        new InetSocketAddress(ip("127.0.0.3"), 8080), new InetSocketAddress(ip("127.0.0.2"), 8080));
    assertThat(routes).allSatisfy(route -> assertThat(route.proxy()).isEqualTo(Proxy.NO_PROXY));
    assertThat(listener.events()).containsExactly(
        "proxySelectStart example.com",
        "proxySelectEnd [DIRECT]",
        "dnsStart example.com",
        "dnsEnd example.com 2");
  }

  @Test
  void ipLiteralHostSkipsDns() throws IOException {
    Address address = new AddressBuilder("127.0.0.1", 80).dns(dns("127.0.0.9")).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(socketAddresses(routes)).containsExactly(new InetSocketAddress(ip("127.0.0.1"), 80));
    assertThat(lookups).isEmpty();
    assertThat(listener.names()).containsExactly("proxySelectStart", "proxySelectEnd");
  }

  @Test
  void explicitProxyIsUsedWithoutAskingTheSelector() throws IOException {
    Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example", 3128));
    ProxySelector failing = new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        throw new AssertionError("the selector must not be asked when a proxy is set");
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
    };
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.5"))
        .proxy(proxy).proxySelector(failing).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).proxy()).isEqualTo(proxy);
    // An HTTP proxy's own host is resolved; the origin is not.
    assertThat(routes.get(0).socketAddress()).isEqualTo(new InetSocketAddress(ip("127.0.0.5"), 3128));
    assertThat(lookups).containsExactly("proxy.example");
  }

  @Test
  void proxiesComeFromTheSelectorInOrder() throws IOException {
    Proxy first = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(ip("127.0.0.7"), 3128));
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2"))
        .proxySelector(selecting(List.of(first, Proxy.NO_PROXY))).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(routes).extracting(Route::proxy).containsExactly(first, Proxy.NO_PROXY);
    assertThat(socketAddresses(routes)).containsExactly(
        new InetSocketAddress(ip("127.0.0.7"), 3128), new InetSocketAddress(ip("127.0.0.2"), 80));
    assertThat(listener.events()).contains("proxySelectEnd [" + first + ", DIRECT]");
  }

  @Test
  void selectorReturningNullOrNothingMeansDirect() throws IOException {
    for (List<Proxy> answer : java.util.Arrays.asList(null, List.<Proxy>of())) {
      Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2"))
          .proxySelector(selecting(answer)).build();

      List<Route> routes = selector.select(address, call, listener);

      assertThat(routes).extracting(Route::proxy).containsExactly(Proxy.NO_PROXY);
    }
  }

  @Test
  void socksProxyGetsOneRouteWithTheUnresolvedOrigin() throws IOException {
    Proxy socks = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(ip("127.0.0.8"), 1080));
    Address address = new AddressBuilder("example.com", 443).dns(dns("127.0.0.2")).proxy(socks).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).socketAddress().isUnresolved()).isTrue();
    assertThat(routes.get(0).socketAddress().getHostString()).isEqualTo("example.com");
    assertThat(routes.get(0).socketAddress().getPort()).isEqualTo(443);
    assertThat(lookups).isEmpty();
  }

  @Test
  void dnsFailureNamesTheHost() {
    Dns silent = host -> {
      throw new UnknownHostException();
    };
    Address address = new AddressBuilder("missing.example", 80).dns(silent).build();

    assertThatThrownBy(() -> selector.select(address, call, listener))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("missing.example");
    assertThat(listener.names()).containsExactly("proxySelectStart", "proxySelectEnd", "dnsStart");
  }

  @Test
  void dnsFailureThatNamesTheHostIsKept() {
    UnknownHostException original = new UnknownHostException("missing.example: Name or service not known");
    Dns failing = host -> {
      throw original;
    };
    Address address = new AddressBuilder("missing.example", 80).dns(failing).build();

    assertThatThrownBy(() -> selector.select(address, call, listener)).isSameAs(original);
  }

  @Test
  void emptyDnsAnswerIsAnUnknownHost() {
    Dns empty = new Dns() {
      @Override
      public List<InetAddress> lookup(String hostname) {
        return List.of();
      }

      @Override
      public String toString() {
        return "EmptyDns";
      }
    };
    Address address = new AddressBuilder("empty.example", 80).dns(empty).build();

    assertThatThrownBy(() -> selector.select(address, call, listener))
        .isInstanceOf(UnknownHostException.class)
        .hasMessage("EmptyDns returned no addresses for empty.example");
  }

  @Test
  void unresolvableProxyFallsBackToTheNextProxy() throws IOException {
    Proxy broken = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("broken.proxy", 3128));
    Dns dns = host -> {
      if (host.equals("broken.proxy")) {
        throw new UnknownHostException("broken.proxy: unknown");
      }
      return List.of(ip("127.0.0.2"));
    };
    Address address = new AddressBuilder("example.com", 80).dns(dns)
        .proxySelector(selecting(List.of(broken, Proxy.NO_PROXY))).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(routes).extracting(Route::proxy).containsExactly(Proxy.NO_PROXY);
  }

  @Test
  void proxyWithoutARouteFallsBackToTheNextProxy() throws IOException {
    Proxy unsupported = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("portless.proxy", 0));
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2"))
        .proxySelector(selecting(List.of(unsupported, Proxy.NO_PROXY))).build();

    List<Route> routes = selector.select(address, call, listener);

    assertThat(routes).extracting(Route::proxy).containsExactly(Proxy.NO_PROXY);
  }

  @Test
  void everyProxyFailingThrowsTheFirstFailureWithTheOthersSuppressed() {
    Proxy first = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("first.proxy", 3128));
    Proxy second = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("second.proxy", 3128));
    Dns dns = host -> {
      lookups.add(host);
      throw new UnknownHostException(host + ": unknown");
    };
    Address address = new AddressBuilder("example.com", 80).dns(dns)
        .proxySelector(selecting(List.of(first, second))).build();

    assertThatThrownBy(() -> selector.select(address, call, listener))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("first.proxy")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(suppressed -> assertThat(suppressed).hasMessageContaining("second.proxy")));
    assertThat(lookups).containsExactly("first.proxy", "second.proxy");
  }

  @Test
  void failedRoutesAreTriedLastUntilOneSucceeds() throws IOException {
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2", "127.0.0.3", "127.0.0.4")).build();
    List<Route> initial = selector.select(address, call, listener);

    selector.connectFailed(initial.get(0), new IOException("refused"));
    List<Route> afterFailure = selector.select(address, call, listener);

    assertThat(afterFailure).containsExactly(initial.get(1), initial.get(2), initial.get(0));
    assertThat(selector.routeDatabase().shouldPostpone(initial.get(0))).isTrue();

    selector.connected(initial.get(0));
    assertThat(selector.select(address, call, listener)).containsExactlyElementsOf(initial);
  }
}
