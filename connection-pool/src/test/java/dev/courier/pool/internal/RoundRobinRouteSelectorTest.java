package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinRouteSelectorTest {
  private final RoundRobinRouteSelector selector = new RoundRobinRouteSelector();
  private final RecordingEventListener listener = new RecordingEventListener();
  private final FakeCall call = new FakeCall("http://example.com/");

  private static Dns dns(String... ips) {
    return host -> {
      List<InetAddress> result = new ArrayList<>();
      for (String ip : ips) {
        result.add(InetAddress.getByName(ip));
      }
      return result;
    };
  }

  private static List<String> hosts(List<Route> routes) {
    List<String> result = new ArrayList<>();
    for (Route route : routes) {
      result.add(route.socketAddress().getAddress().getHostAddress());
    }
    return result;
  }

  @Test
  void eachSelectionStartsOneAddressLater() throws IOException {
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2", "127.0.0.3", "127.0.0.4")).build();

    assertThat(hosts(selector.select(address, call, listener))).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    assertThat(hosts(selector.select(address, call, listener))).containsExactly("127.0.0.3", "127.0.0.4", "127.0.0.2");
    assertThat(hosts(selector.select(address, call, listener))).containsExactly("127.0.0.4", "127.0.0.2", "127.0.0.3");
    assertThat(hosts(selector.select(address, call, listener))).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
  }

  @Test
  void addressesRotateIndependently() throws IOException {
    Address a = new AddressBuilder("a.example.com", 80).dns(dns("127.0.0.2", "127.0.0.3")).build();
    Address b = new AddressBuilder("b.example.com", 80).dns(dns("127.0.0.2", "127.0.0.3")).build();

    selector.select(a, call, listener);

    assertThat(hosts(selector.select(b, call, listener))).containsExactly("127.0.0.2", "127.0.0.3");
    assertThat(hosts(selector.select(a, call, listener))).containsExactly("127.0.0.3", "127.0.0.2");
  }

  @Test
  void failedRoutesStayLastAndOutOfTheRotation() throws IOException {
    Address address = new AddressBuilder("example.com", 80).dns(dns("127.0.0.2", "127.0.0.3", "127.0.0.4")).build();
    List<Route> routes = selector.select(address, call, listener);
    selector.connectFailed(routes.get(0), new IOException("refused"));

    List<String> first = hosts(selector.select(address, call, listener));
    List<String> second = hosts(selector.select(address, call, listener));

    assertThat(first.get(2)).isEqualTo("127.0.0.2");
    assertThat(second.get(2)).isEqualTo("127.0.0.2");
    assertThat(first.get(0)).isNotEqualTo(second.get(0));
  }
}
