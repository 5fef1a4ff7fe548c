package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.Dns;
import dev.courier.EventListener;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.PerRequestPeer;
import dev.courier.chain.support.PerRequestPeer.Action;
import dev.courier.chain.support.RecordedEvent;
import dev.courier.spi.RouteSelector;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks, over loopback, that recovery from failures always ends and makes progress, and that a
 * request that may have reached the server is resent only when that is safe.
 */
@Timeout(20)
class RecoveryPolicyTest {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private final List<PerRequestPeer> peers = new ArrayList<>();

  @AfterEach
  void closePeers() throws IOException {
    for (PerRequestPeer peer : peers) {
      peer.close();
    }
  }

  private PerRequestPeer peer(java.util.function.IntFunction<Action> script) throws IOException {
    PerRequestPeer peer = PerRequestPeer.start(script);
    peers.add(peer);
    return peer;
  }

  /** A resolver that knows only {@code localhost} (as 127.0.0.1) and counts lookups by host. */
  private static final class CountingDns implements Dns {
    final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<InetAddress> loopback;

    CountingDns(String... loopbackAddresses) {
      loopback = new ArrayList<>();
      for (String ip : loopbackAddresses) {
        try {
          loopback.add(InetAddress.getByName(ip)); // An IP literal: no lookup happens.
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(ip, e);
        }
      }
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      lookups.computeIfAbsent(hostname, h -> new AtomicInteger()).incrementAndGet();
      if (hostname.equals("localhost")) {
        return loopback;
      }
      throw new UnknownHostException(hostname + ": not known to this test");
    }

    int count(String hostname) {
      AtomicInteger count = lookups.get(hostname);
      return count == null ? 0 : count.get();
    }
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  private static Request post(String url, String body) {
    return new Request.Builder().url(url).post(RequestBody.create(body, TEXT)).build();
  }

  private List<RecordedEvent> retryDecisions() {
    return chain.events().events("retryDecision");
  }

  // Route selection that fails ends the call at once.

  @Test
  void unknownHostFailsAtOnceAfterOneLookup() throws Exception {
    CountingDns dns = new CountingDns("127.0.0.1");
    CourierClient client = chain.client(b -> b.dns(dns));

    assertThatThrownBy(() -> client.newCall(get("http://no-such-host.invalid/")).execute())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no-such-host.invalid")
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThat(dns.count("no-such-host.invalid")).isEqualTo(1);
    assertThat(retryDecisions()).singleElement().satisfies(event -> {
      assertThat(event.arguments().get(1)).isEqualTo(false);
      assertThat((String) event.arguments().get(2)).contains("no other route");
    });
  }

  @Test
  void unknownHostFailsAtOnceWithTheSystemResolver() throws Exception {
    CourierClient client = chain.client();

    assertThatThrownBy(() -> client.newCall(get("http://no-such-host.invalid/")).execute())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no-such-host.invalid");
    assertThat(chain.events().events("dnsStart")).hasSize(1);
    assertThat(chain.events().eventNames()).endsWith("retryDecision", "callFailed");
  }

  @Test
  void unknownHostFailsAtOnceWithADefaultClient() {
    CourierClient client = chain.track(new CourierClient());

    assertThatThrownBy(() -> client.newCall(get("http://no-such-host.invalid/")).execute())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no-such-host.invalid")
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
  }

  @Test
  void failureThrownAgainAndAgainByADnsGathersNothing() throws Exception {
    UnknownHostException shared = new UnknownHostException("again.test: always unknown");
    CourierClient client = chain.client(b -> b.dns(host -> {
      throw shared;
    }));

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> client.newCall(get("http://again.test/")).execute()).isSameAs(shared);
    }
    assertThat(shared.getSuppressed()).isEmpty();
  }

  @Test
  void redirectToAnUnknownHostFailsAtOnce() throws Exception {
    TestServer server = chain.server();
    server.hostName("localhost");
    server.enqueue(ScriptedResponse.builder().status(302).header("Location", "///next").build());
    CountingDns dns = new CountingDns("127.0.0.1");
    CourierClient client = chain.client(b -> b.dns(dns));

    assertThatThrownBy(() -> client.newCall(get(server.url("/start"))).execute())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("next");
    assertThat(dns.count("next")).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(1);
    RecordedEvent followUp = chain.events().events("followUpDecision").get(0);
    assertThat(followUp.argument(Request.class).url().host()).isEqualTo("next");
  }

  @Test
  void routeSelectorThatThrowsFailsTheCallAtOnce() throws Exception {
    AtomicInteger selections = new AtomicInteger();
    IOException failure = new IOException("service registry unavailable for localhost");
    CourierClient client = chain.client(b -> b.routeSelector(new FailingRouteSelector(selections, failure, null)));

    assertThatThrownBy(() -> client.newCall(get("http://localhost:1/")).execute()).isSameAs(failure);
    assertThat(selections).hasValue(1);
  }

  @Test
  void routeSelectorWithNoRoutesFailsTheCallAtOnce() throws Exception {
    AtomicInteger selections = new AtomicInteger();
    CourierClient client = chain.client(b -> b.routeSelector(new FailingRouteSelector(selections, null, List.of())));

    assertThatThrownBy(() -> client.newCall(get("http://localhost:1/")).execute())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("returned no routes for localhost:1");
    assertThat(selections).hasValue(1);
  }

  @Test
  void dnsWithNoAddressesFailsTheCallAtOnce() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    CourierClient client = chain.client(b -> b.dns(host -> {
      lookups.incrementAndGet();
      return List.of();
    }));

    assertThatThrownBy(() -> client.newCall(get("http://empty.test/")).execute())
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("empty.test");
    assertThat(lookups).hasValue(1);
  }

  // The attempt bound.

  @Test
  void serverThatAlwaysFailsSeesAtMostTheAttemptBound() throws Exception {
    PerRequestPeer peer = peer(index -> Action.CLOSE);
    // Six distinct routes, all reaching the peer: every retry could find another one.
    CountingDns dns = new CountingDns("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");
    CourierClient client = chain.client(b -> b.dns(dns));

    assertThatThrownBy(() -> client.newCall(get(peer.url("/"))).execute())
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(RecoveryPolicy.MAX_ATTEMPTS - 1));
    assertThat(peer.requestCount()).isEqualTo(RecoveryPolicy.MAX_ATTEMPTS);
    assertThat(peer.connectionCount()).isEqualTo(RecoveryPolicy.MAX_ATTEMPTS);
    List<RecordedEvent> decisions = retryDecisions();
    assertThat(decisions).hasSize(RecoveryPolicy.MAX_ATTEMPTS);
    assertThat(decisions.get(decisions.size() - 1).arguments().get(1)).isEqualTo(false);
    assertThat((String) decisions.get(decisions.size() - 1).arguments().get(2)).contains("attempts");
  }

  @Test
  void eachRetryAfterAFreshConnectionFailedTakesAnotherRoute() throws Exception {
    PerRequestPeer peer = peer(index -> Action.CLOSE);
    CountingDns dns = new CountingDns("127.0.0.1", "127.0.0.2", "127.0.0.3");
    CourierClient client = chain.client(b -> b.dns(dns));

    assertThatThrownBy(() -> client.newCall(get(peer.url("/"))).execute()).isInstanceOf(IOException.class);

    List<String> connected = new ArrayList<>();
    for (RecordedEvent event : chain.events().events("connectStart")) {
      connected.add(event.arguments().get(0).toString());
    }
    assertThat(connected).doesNotHaveDuplicates().hasSize(3);
    assertThat(dns.count("localhost")).isEqualTo(1);
  }

  @Test
  void singleRouteServerThatAlwaysFailsIsNotRetriedOnTheSameRoute() throws Exception {
    PerRequestPeer peer = peer(index -> Action.CLOSE);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));

    assertThatThrownBy(() -> client.newCall(get(peer.url("/"))).execute()).isInstanceOf(IOException.class);
    assertThat(peer.requestCount()).isEqualTo(1);
  }

  // Nothing is sent twice unless that is safe.

  @Test
  void postOnAStalePooledConnectionIsNotResentEvenWithAReplayableBody() throws Exception {
    PerRequestPeer peer = peer(index -> index == 0 ? Action.RESPOND : Action.CLOSE);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));
    warmUp(client, peer);

    assertThatThrownBy(() -> client.newCall(post(peer.url("/order"), "one pizza")).execute())
        .isInstanceOf(IOException.class);
    assertThat(peer.requests()).containsExactly("GET /warm", "POST /order body=one pizza");
    assertThat(retryDecisions()).singleElement().satisfies(event -> {
      assertThat(event.arguments().get(1)).isEqualTo(false);
      assertThat((String) event.arguments().get(2)).contains("POST is not idempotent");
    });
  }

  @Test
  void postWithAnIdempotencyKeyIsResentAfterAStalePooledConnection() throws Exception {
    PerRequestPeer peer = peer(index -> index == 1 ? Action.CLOSE : Action.RESPOND);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));
    warmUp(client, peer);

    Request request = post(peer.url("/order"), "one pizza").newBuilder()
        .header("Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324").build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("response 2");
    }
    assertThat(peer.requests()).containsExactly("GET /warm", "POST /order body=one pizza", "POST /order body=one pizza");
    assertThat(peer.connectionCount()).isEqualTo(2);
    assertThat(retryDecisions()).singleElement().satisfies(event -> {
      assertThat(event.arguments().get(1)).isEqualTo(true);
      assertThat((String) event.arguments().get(2)).contains("new connection");
    });
  }

  @Test
  void postMarkedRetryableIsResentAfterAStalePooledConnection() throws Exception {
    PerRequestPeer peer = peer(index -> index == 1 ? Action.CLOSE : Action.RESPOND);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));
    warmUp(client, peer);

    Request request = post(peer.url("/order"), "one pizza").newBuilder().retryable(true).build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("response 2");
    }
    assertThat(peer.requestCount()).isEqualTo(3);
  }

  @Test
  void getOnAStalePooledConnectionIsResentOnANewConnection() throws Exception {
    PerRequestPeer peer = peer(index -> index == 1 ? Action.CLOSE : Action.RESPOND);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));
    warmUp(client, peer);

    try (Response response = client.newCall(get(peer.url("/page"))).execute()) {
      assertThat(response.body().string()).isEqualTo("response 2");
    }
    assertThat(peer.requests()).containsExactly("GET /warm", "GET /page", "GET /page");
    assertThat(peer.connectionCount()).isEqualTo(2);
  }

  @Test
  void getMarkedNotRetryableIsNotResent() throws Exception {
    PerRequestPeer peer = peer(index -> index == 1 ? Action.CLOSE : Action.RESPOND);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.1")));
    warmUp(client, peer);

    Request request = new Request.Builder().url(peer.url("/side-effect")).retryable(false).build();
    assertThatThrownBy(() -> client.newCall(request).execute()).isInstanceOf(IOException.class);
    assertThat(peer.requestCount()).isEqualTo(2);
    assertThat((String) retryDecisions().get(0).arguments().get(2)).contains("GET is marked not retryable");
  }

  @Test
  void postIsSentOnTheNextRouteWhenConnectingFails() throws Exception {
    // Listens on 127.0.0.1 only: connecting to 127.0.0.2 is refused, so nothing was sent there.
    PerRequestPeer peer = PerRequestPeer.start(InetAddress.getByName("127.0.0.1"), index -> Action.RESPOND);
    peers.add(peer);
    CourierClient client = chain.client(b -> b.dns(new CountingDns("127.0.0.2", "127.0.0.1")));

    try (Response response = client.newCall(post(peer.url("/order"), "one pizza")).execute()) {
      assertThat(response.body().string()).isEqualTo("response 0");
    }
    assertThat(peer.requestCount()).isEqualTo(1);
    assertThat(chain.events().events("connectFailed")).hasSize(1);
  }

  @Test
  void postRefusedByAnHttp2ServerIsResent() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().resetStream(0x7).build());
    server.enqueue(ScriptedResponse.builder().body("accepted").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(post(server.url("/order"), "one pizza")).execute()) {
      assertThat(response.body().string()).isEqualTo("accepted");
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("one pizza");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("one pizza");
    assertThat(retryDecisions()).singleElement().satisfies(event -> {
      assertThat(event.arguments().get(1)).isEqualTo(true);
      assertThat((String) event.arguments().get(2)).contains("did not process");
    });
  }

  @Test
  void refusedStreamsAreRetriedAtMostTheAttemptBound() throws Exception {
    TestServer server = H2c.server(chain);
    for (int i = 0; i < RecoveryPolicy.MAX_ATTEMPTS + 2; i++) {
      server.enqueue(ScriptedResponse.builder().resetStream(0x7).build());
    }
    CourierClient client = chain.client(H2c::priorKnowledge);

    assertThatThrownBy(() -> client.newCall(get(server.url("/"))).execute()).isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isEqualTo(RecoveryPolicy.MAX_ATTEMPTS);
  }

  private static void warmUp(CourierClient client, PerRequestPeer peer) throws IOException {
    try (Response response = client.newCall(get(peer.url("/warm"))).execute()) {
      assertThat(response.body().string()).isEqualTo("response 0");
    }
  }

  /** Fails route selection with {@code failure}, or returns {@code routes}, counting selections. */
  private static final class FailingRouteSelector implements RouteSelector {
    private final AtomicInteger selections;
    private final IOException failure;
    private final List<Route> routes;

    FailingRouteSelector(AtomicInteger selections, IOException failure, List<Route> routes) {
      this.selections = selections;
      this.failure = failure;
      this.routes = routes;
    }

    @Override
    public List<Route> select(Address address, Call call, EventListener listener) throws IOException {
      selections.incrementAndGet();
      if (failure != null) {
        throw failure;
      }
      return routes;
    }

    @Override
    public void connectFailed(Route route, IOException failure) {}

    @Override
    public void connected(Route route) {}
  }
}
