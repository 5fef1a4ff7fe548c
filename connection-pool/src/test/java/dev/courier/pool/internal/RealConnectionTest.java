package dev.courier.pool.internal;

import static dev.courier.pool.internal.TestConnections.connection;
import static dev.courier.pool.internal.TestConnections.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.CertificatePinner;
import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class RealConnectionTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("RealConnection Test CA");
  private static final IssuedCertificate SHARED = CA.issue("a.example.com", "b.example.com");
  private static final SSLSocketFactory TLS = CA.clientSocketFactory();

  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);

  private static Address https(String host) {
    return new AddressBuilder(host, 443).https(TLS).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
  }

  private static Handshake handshake(IssuedCertificate certificate) {
    return new Handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of(certificate.chain()), List.of());
  }

  private RealConnection http2Connection(Address address, String ip, IssuedCertificate certificate) {
    return connection(pool, route(address, ip), Protocol.HTTP_2, handshake(certificate));
  }

  @Test
  void connectionIsEligibleForItsOwnAddress() {
    Address a = https("a.example.com");
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);

    assertThat(connection.isEligible(a, null)).isTrue();
  }

  @Test
  void connectionTakingNoNewExchangesIsNotEligible() {
    Address a = https("a.example.com");
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);
    connection.noNewExchanges = true;

    assertThat(connection.isEligible(a, null)).isFalse();
  }

  @Test
  void fullConnectionIsNotEligible() {
    Address a = https("a.example.com");
    RealConnection connection = connection(pool, a, Protocol.HTTP_1_1);
    connection.addLease(new CallLease(new FakeCall("https://a.example.com/")));

    assertThat(connection.isEligible(a, null)).isFalse();
  }

  @Test
  void http2ConnectionCoalescesAnotherHostOnTheSameIpCoveredByTheCertificate() {
    RealConnection connection = http2Connection(https("a.example.com"), "127.0.0.1", SHARED);
    Address b = https("b.example.com");

    assertThat(connection.isEligible(b, List.of(route(b, "127.0.0.2"), route(b, "127.0.0.1")))).isTrue();
  }

  @Test
  void coalescingNeedsTheRoutesOfTheNewHost() {
    RealConnection connection = http2Connection(https("a.example.com"), "127.0.0.1", SHARED);

    assertThat(connection.isEligible(https("b.example.com"), null)).isFalse();
  }

  @Test
  void coalescingNeedsTheSameIp() {
    RealConnection connection = http2Connection(https("a.example.com"), "127.0.0.1", SHARED);
    Address b = https("b.example.com");

    assertThat(connection.isEligible(b, List.of(route(b, "127.0.0.2")))).isFalse();
  }

  @Test
  void coalescingNeedsTheCertificateToCoverTheNewHost() {
    RealConnection connection = http2Connection(https("a.example.com"), "127.0.0.1", SHARED);
    Address c = https("c.example.com");

    assertThat(connection.isEligible(c, List.of(route(c, "127.0.0.1")))).isFalse();
  }

  @Test
  void coalescingNeedsThePinnerToAgree() {
    IssuedCertificate other = CA.issue("other.example.com");
    CertificatePinner pinner = new CertificatePinner.Builder()
        .add("b.example.com", CertificatePinner.pin(other.certificate()))
        .build();
    Address a = new AddressBuilder("a.example.com", 443).https(TLS).certificatePinner(pinner)
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    Address b = new AddressBuilder("b.example.com", 443).https(TLS).certificatePinner(pinner)
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);

    assertThat(connection.isEligible(b, List.of(route(b, "127.0.0.1")))).isFalse();
  }

  @Test
  void coalescingNeedsMatchingNonHostSettings() {
    RealConnection connection = http2Connection(https("a.example.com"), "127.0.0.1", SHARED);
    Address differentProtocols = new AddressBuilder("b.example.com", 443).https(TLS)
        .protocols(Protocol.HTTP_1_1).build();

    assertThat(connection.isEligible(differentProtocols, List.of(route(differentProtocols, "127.0.0.1")))).isFalse();
  }

  @Test
  void coalescingNeedsTheStrictHostnameVerifier() {
    HostnameVerifier lenient = (host, session) -> true;
    Address a = new AddressBuilder("a.example.com", 443).https(TLS).hostnameVerifier(lenient)
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    Address b = new AddressBuilder("b.example.com", 443).https(TLS).hostnameVerifier(lenient)
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);

    assertThat(connection.isEligible(b, List.of(route(b, "127.0.0.1")))).isFalse();
  }

  @Test
  void http1ConnectionsNeverCoalesce() {
    Address a = https("a.example.com");
    RealConnection connection = connection(pool, route(a, "127.0.0.1"), Protocol.HTTP_1_1, handshake(SHARED));
    Address b = https("b.example.com");

    assertThat(connection.isEligible(b, List.of(route(b, "127.0.0.1")))).isFalse();
  }

  @Test
  void poolCoalescesWhenGivenTheNewHostsRoutes() {
    Address a = https("a.example.com");
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);
    pool.put(connection, new CallLease(new FakeCall("https://a.example.com/")));
    Address b = https("b.example.com");
    List<Route> routesB = List.of(route(b, "127.0.0.1"));
    CallLease leaseB = new CallLease(new FakeCall("https://b.example.com/"));

    assertThat(pool.acquire(b, null, leaseB)).isNull();
    assertThat(pool.acquire(b, routesB, leaseB)).isSameAs(connection);
  }

  @Test
  void exposesRouteSocketHandshakeAndProtocol() {
    Address a = https("a.example.com");
    RealConnection connection = http2Connection(a, "127.0.0.1", SHARED);

    assertThat(connection.route()).isEqualTo(route(a, "127.0.0.1"));
    assertThat(connection.address()).isEqualTo(a);
    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(connection.handshake().peerCertificates()).first().isEqualTo(SHARED.certificate());
    assertThat(connection.socket()).isSameAs(connection.protocolConnection().transport().socket());
    assertThat(connection.toString()).contains("a.example.com:443", "h2", "TLS_AES_128_GCM_SHA256");
  }
}
