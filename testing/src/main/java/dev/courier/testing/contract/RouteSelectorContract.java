package dev.courier.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Dns;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.spi.RouteSelector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okio.Timeout;
import org.junit.jupiter.api.Test;

/**
 * Checks that a {@link RouteSelector} keeps the SPI's contract. A selector author extends it and
 * implements {@link #newSelector()}:
 *
 * <pre>{@code
 * class MySelectorContractTest extends RouteSelectorContract {
 *   @Override
 *   protected RouteSelector newSelector() {
 *     return new MySelector();
 *   }
 * }
 * }</pre>
 *
 * <p>Addresses in the suite are direct ({@link Proxy#NO_PROXY}) and resolve through a scripted
 * {@link Dns} that the selector is expected to use: {@code multi.test} to 127.0.0.1, 127.0.0.2 and
 * 127.0.0.3, any other name not at all. The suite checks that every route belongs to the address
 * and to a resolved IP, that all resolved IPs are offered, that an unknown host fails with
 * {@link UnknownHostException}, that a route reported failed is tried after the others and one
 * reported connected again is not, and that concurrent use from several threads is safe. No
 * sockets are opened.
 */
public abstract class RouteSelectorContract {
  /** The host the scripted DNS resolves to three loopback addresses. */
  protected static final String MULTI_HOST = "multi.test";
  /** The port of every address in the suite. */
  protected static final int PORT = 8080;

  private static final Dns SCRIPTED_DNS = hostname -> {
    if (!MULTI_HOST.equals(hostname)) {
      throw new UnknownHostException("scripted DNS does not know " + hostname);
    }
    return List.of(
        InetAddress.getByAddress(hostname, new byte[] {127, 0, 0, 1}),
        InetAddress.getByAddress(hostname, new byte[] {127, 0, 0, 2}),
        InetAddress.getByAddress(hostname, new byte[] {127, 0, 0, 3}));
  };

  /** Returns a new selector under test, with no memory of earlier failures. */
  protected abstract RouteSelector newSelector();

  /** Returns a direct cleartext address of {@code host} that resolves with the scripted DNS. */
  protected static Address address(String host) {
    return new Address(host, PORT, SCRIPTED_DNS, SocketFactory.getDefault(), null, null, null,
        Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(), List.of(Protocol.HTTP_1_1));
  }

  @Test
  void routesBelongToTheAddressAndCoverEveryResolvedIp() throws Exception {
    Address address = address(MULTI_HOST);

    List<Route> routes = newSelector().select(address, new StubCall(address), EventListener.NONE);

    assertFalse(routes.isEmpty(), "select() must never return an empty list");
    Set<InetAddress> offered = new HashSet<>();
    for (Route route : routes) {
      assertSame(address, route.address(), "route.address()");
      assertEquals(Proxy.Type.DIRECT, route.proxy().type(), "a direct address gets direct routes");
      InetSocketAddress socketAddress = route.socketAddress();
      assertEquals(PORT, socketAddress.getPort(), "route port");
      offered.add(socketAddress.getAddress());
    }
    assertEquals(new HashSet<>(SCRIPTED_DNS.lookup(MULTI_HOST)), offered,
        "every resolved IP is offered");
  }

  @Test
  void unknownHostFailsWithUnknownHostException() {
    Address address = address("unknown.test");

    UnknownHostException failure = assertThrows(UnknownHostException.class,
        () -> newSelector().select(address, new StubCall(address), EventListener.NONE));

    assertTrue(String.valueOf(failure.getMessage()).contains("unknown.test"),
        "the failure names the host: " + failure.getMessage());
  }

  @Test
  void failedRouteIsTriedAfterTheOthers() throws Exception {
    RouteSelector selector = newSelector();
    Address address = address(MULTI_HOST);
    Route failed = selector.select(address, new StubCall(address), EventListener.NONE).get(0);

    selector.connectFailed(failed, new ConnectException("refused"));

    for (int i = 0; i < 3; i++) {
      List<Route> routes = selector.select(address, new StubCall(address), EventListener.NONE);
      assertEquals(failed, routes.get(routes.size() - 1), "the failed route comes last");
      assertEquals(3, routes.size(), "a failed route is postponed, not dropped");
    }
  }

  @Test
  void routeThatConnectedAgainIsNoLongerPostponed() throws Exception {
    RouteSelector selector = newSelector();
    Address address = address(MULTI_HOST);
    List<Route> initial = selector.select(address, new StubCall(address), EventListener.NONE);
    for (Route route : initial) {
      selector.connectFailed(route, new ConnectException("refused"));
    }
    Route recovered = initial.get(initial.size() - 1);

    selector.connected(recovered);

    List<Route> routes = selector.select(address, new StubCall(address), EventListener.NONE);
    assertEquals(recovered, routes.get(0), "the only route without a recent failure comes first");
  }

  @Test
  void selectorIsSafeToShareBetweenThreads() throws Exception {
    RouteSelector selector = newSelector();
    Address address = address(MULTI_HOST);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        Callable<Integer> task = () -> {
          int checked = 0;
          for (int i = 0; i < 250; i++) {
            List<Route> routes = selector.select(address, new StubCall(address), EventListener.NONE);
            assertEquals(3, routes.size(), "routes under concurrent use");
            Route route = routes.get(i % routes.size());
            if ((i + thread) % 2 == 0) {
              selector.connectFailed(route, new ConnectException("refused"));
            } else {
              selector.connected(route);
            }
            checked++;
          }
          return checked;
        };
        results.add(executor.submit(task));
      }
      for (Future<Integer> result : results) {
        assertEquals(250, result.get(30, TimeUnit.SECONDS));
      }
    } finally {
      executor.shutdownNow();
    }
    List<Route> routes = selector.select(address, new StubCall(address), EventListener.NONE);
    assertEquals(3, new HashSet<>(routes).size(), "no route duplicated or lost");
  }

  /** A call that only carries a request for the address; selectors may ask it, never run it. */
  private static final class StubCall implements Call {
    private final Request request;

    StubCall(Address address) {
      this.request = new Request.Builder().url("http://" + address.host() + ":" + address.port() + "/")
          .build();
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response execute() {
      throw new UnsupportedOperationException("a route selector must not execute the call");
    }

    @Override
    public void enqueue(Callback callback) {
      throw new UnsupportedOperationException("a route selector must not enqueue the call");
    }

    @Override
    public void cancel() {}

    @Override
    public boolean isExecuted() {
      return true;
    }

    @Override
    public boolean isCanceled() {
      return false;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public Call clone() {
      return new StubCall(address(request.url().host()));
    }
  }
}
