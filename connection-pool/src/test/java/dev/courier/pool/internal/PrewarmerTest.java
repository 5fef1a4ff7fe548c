package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.pool.CloseReason;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import dev.courier.pool.PoolLimits;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.ThreadLeakExtension;
import dev.courier.testing.UnconnectedSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pre-warms connections to raw loopback peers, which count and keep what they accept: on the
 * background thread (waiting for the peer's accepts), and run by hand with an injected clock for
 * limits and back-off.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class PrewarmerTest {
  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private final Peer peer = new Peer();
  private final RecordingSocketFactory sockets = new RecordingSocketFactory();
  private RealConnectionPool pool;

  @AfterEach
  void tearDown() throws IOException {
    if (pool != null) {
      pool.close();
    }
    peer.close();
  }

  /** A pool whose pre-warmer runs on its own thread. */
  private RealConnectionPool threadedPool() {
    pool = new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
    return pool;
  }

  /** A pool whose pre-warmer runs only when the test calls {@link Prewarmer#runOnce}. */
  private RealConnectionPool manualPool(PoolLimits limits) {
    pool = new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES),
        System::nanoTime, false, limits);
    return pool;
  }

  private static ConnectSettings settings(ProtocolConnectionProvider provider) {
    return new ConnectSettings(new DefaultRouteSelector(), ProtocolProviders.of(List.of(provider)), 0, true);
  }

  private Address address(int port) {
    return new AddressBuilder("127.0.0.1", port).socketFactory(sockets).build();
  }

  private void prewarm(Address address, ConnectSettings settings, int minIdle) {
    pool.prewarmer().prewarm(address, settings, minIdle, 5_000, 5_000, 5_000);
  }

  @Test
  void opensTheMinimumOnTheBackgroundThreadAndClosesThemWithThePool() throws Exception {
    peer.start();
    threadedPool();

    prewarm(address(peer.port()), settings(new Http1ConnectionProvider()), 3);

    assertThat(peer.accepted.tryAcquire(3, 10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    assertThat(prewarmerThreads()).isEmpty();
    assertThat(sockets.threadNames).hasSize(3).containsOnly(Prewarmer.THREAD_NAME);
    assertThat(peer.accepted.availablePermits()).isZero();
    for (Socket socket : peer.sockets) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1); // Closed with the pool.
    }
  }

  @Test
  void threadEndsWhenNoAddressIsLeftToKeepWarm() throws Exception {
    peer.start();
    threadedPool();
    Address address = address(peer.port());
    prewarm(address, settings(new Http1ConnectionProvider()), 1);
    assertThat(peer.accepted.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
    List<Thread> running = prewarmerThreads();
    assertThat(running).hasSize(1);

    prewarm(address, settings(new Http1ConnectionProvider()), 0);

    running.get(0).join(10_000);
    assertThat(running.get(0).isAlive()).isFalse();
    assertThat(pool.idleConnectionCount()).isEqualTo(1); // What was opened stays until evicted.
  }

  @Test
  void topsUpAfterThePeerClosesAnIdleConnection() throws Exception {
    peer.start();
    threadedPool();
    prewarm(address(peer.port()), settings(new Http1ConnectionProvider()), 2);
    assertThat(peer.accepted.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();

    peer.sockets.get(0).close();

    assertThat(peer.accepted.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
    assertThat(sockets.connects.get()).isEqualTo(3);
  }

  @Test
  void neverOpensBeyondThePerAddressLimit() throws Exception {
    peer.start();
    manualPool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(2));
    Address address = address(peer.port());
    prewarm(address, settings(new Http1ConnectionProvider()), 5);

    pool.prewarmer().runOnce(0);
    pool.prewarmer().runOnce(MILLI);

    assertThat(sockets.connects.get()).isEqualTo(2);
    assertThat(pool.connectionCount()).isEqualTo(2);
    assertThat(pool.idleConnectionCount()).isEqualTo(2);
  }

  @Test
  void leavesFreeSlotsAloneWhileACallWaitsForOne() throws Exception {
    peer.start();
    manualPool(new PoolLimits(1, 2));
    Address address = address(peer.port());
    ConnectSettings settings = settings(new Http1ConnectionProvider());
    CallLease held = new CallLease(new FakeCall("http://127.0.0.1/"));
    new ExchangeFinder(pool, address, settings, null, EventListener.NONE).find(held, 5_000, 5_000, 5_000, false);
    ExchangeFinder waiting = new ExchangeFinder(pool, address, settings, null, EventListener.NONE);
    CallLease waitingLease = new CallLease(new FakeCall("http://127.0.0.1/"));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<RealConnection> waiter = executor.submit(() -> waiting.find(waitingLease, 0, 5_000, 5_000, false));
      assertThat(pool.limiter().awaitWaiterCount(1, TimeUnit.SECONDS.toNanos(10))).isTrue();
      Address other = new AddressBuilder("localhost", peer.port()).socketFactory(sockets)
          .dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
      prewarm(other, settings, 1);

      pool.prewarmer().runOnce(0); // A slot is free under the total limit, but a call waits.
      assertThat(sockets.connects.get()).isEqualTo(1);

      waiting.cancel();
      assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasMessageContaining("Canceled");
      pool.prewarmer().runOnce(MILLI);
      assertThat(sockets.connects.get()).isEqualTo(2);
      assertThat(pool.connectionCount()).isEqualTo(2);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void oneHttp2ConnectionSatisfiesAnyMinimumAndIsReplacedWhenItCloses() throws Exception {
    peer.start();
    manualPool(PoolLimits.UNLIMITED);
    Address address = new AddressBuilder("127.0.0.1", peer.port()).socketFactory(sockets)
        .protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    prewarm(address, settings(h2), 3);

    pool.prewarmer().runOnce(0);
    assertThat(h2.created()).hasSize(1);

    h2.created().get(0).capacity(0); // The peer went away, as a GOAWAY would say.
    pool.prewarmer().runOnce(MILLI);

    assertThat(h2.created()).hasSize(2);
    assertThat(h2.created().get(0).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void backsOffAgainstARefusingPeerWithoutThrowing() throws Exception {
    int refusingPort;
    try (ServerSocket bound = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refusingPort = bound.getLocalPort(); // Nothing listens once it is closed.
    }
    manualPool(PoolLimits.UNLIMITED);
    Address address = address(refusingPort);
    prewarm(address, settings(new Http1ConnectionProvider()), 1);
    Prewarmer prewarmer = pool.prewarmer();

    assertThat(prewarmer.runOnce(0)).isEqualTo(100 * MILLI);
    assertThat(sockets.connects.get()).isEqualTo(1);
    assertThat(prewarmer.runOnce(99 * MILLI)).isEqualTo(MILLI);
    assertThat(sockets.connects.get()).isEqualTo(1);
    assertThat(prewarmer.runOnce(100 * MILLI)).isEqualTo(200 * MILLI);
    assertThat(sockets.connects.get()).isEqualTo(2);
    prewarmer.runOnce(299 * MILLI);
    assertThat(sockets.connects.get()).isEqualTo(2);
    prewarmer.runOnce(300 * MILLI);
    assertThat(sockets.connects.get()).isEqualTo(3);
    assertThat(prewarmer.failureCount(address)).isEqualTo(3);
    assertThat(pool.connectionCount()).isZero();
    assertThat(Prewarmer.backoffNanos(4)).isEqualTo(800 * MILLI);
    assertThat(Prewarmer.backoffNanos(30)).isEqualTo(30_000 * MILLI);
  }

  @Test
  void closingThePoolCancelsAConnectStalledInTheHandshake() throws Exception {
    peer.start(); // Accepts, and never answers the TLS handshake.
    threadedPool();
    TestCertificateAuthority ca = TestCertificateAuthority.create("Prewarmer Test CA");
    Address address = new AddressBuilder("127.0.0.1", peer.port()).socketFactory(sockets)
        .https(ca.clientSocketFactory()).protocols(Protocol.HTTP_1_1).build();
    sockets.pool = pool;
    pool.prewarmer().prewarm(address, settings(new Http1ConnectionProvider()), 1, 5_000, 0, 5_000);
    assertThat(peer.accepted.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();

    pool.close();

    assertThat(sockets.closesUnderPoolLock.get()).as("sockets closed under the pool lock").isZero();

    assertThat(prewarmerThreads()).isEmpty();
    Socket accepted = peer.sockets.get(0);
    accepted.setSoTimeout(10_000);
    accepted.getInputStream().readAllBytes(); // Ends at EOF: the client closed its socket.
    assertThat(pool.connectionCount()).isZero();
    assertThatThrownBy(() -> pool.prewarmer()).isInstanceOf(IllegalStateException.class);
  }

  private static List<Thread> prewarmerThreads() {
    Set<Thread> threads = Thread.getAllStackTraces().keySet();
    return threads.stream().filter(t -> t.getName().equals(Prewarmer.THREAD_NAME) && t.isAlive()).toList();
  }

  /** Makes real sockets, recording the thread of each connect. */
  private static final class RecordingSocketFactory extends UnconnectedSocketFactory {
    final AtomicInteger connects = new AtomicInteger();
    final List<String> threadNames = new CopyOnWriteArrayList<>();
    final AtomicInteger closesUnderPoolLock = new AtomicInteger();
    volatile RealConnectionPool pool;

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
          connects.incrementAndGet();
          threadNames.add(Thread.currentThread().getName());
          super.connect(endpoint, timeout);
        }

        @Override
        public synchronized void close() throws IOException {
          RealConnectionPool watched = pool;
          if (watched != null && watched.isLockHeldByCurrentThread()) {
            closesUnderPoolLock.incrementAndGet();
          }
          super.close();
        }
      };
    }
  }

  /** A raw peer that accepts connections, keeps them open and counts them. */
  private static final class Peer implements AutoCloseable {
    final Semaphore accepted = new Semaphore(0);
    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket serverSocket;
    private Thread acceptor;

    void start() throws IOException {
      serverSocket = new ServerSocket();
      serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket socket = serverSocket.accept();
            sockets.add(socket);
            accepted.release();
          }
        } catch (IOException e) {
          // Closed by close(): stop accepting.
        }
      }, "Peer acceptor");
      acceptor.start();
    }

    int port() {
      return serverSocket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      if (serverSocket == null) {
        return;
      }
      serverSocket.close();
      for (Socket socket : sockets) {
        socket.close();
      }
      try {
        acceptor.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
  /** Records the pool's events as text. */
  private static PoolListener recorder(List<String> events) {
    return new PoolListener() {
      @Override
      public void connectionOpened(PoolEvent event) {
        events.add("opened");
      }

      @Override
      public void connectionAcquired(PoolEvent event, long waitNanos) {
        events.add("acquired");
      }

      @Override
      public void connectionReleased(PoolEvent event) {
        events.add("released");
      }

      @Override
      public void connectionClosed(PoolEvent event, CloseReason reason) {
        events.add("closed " + reason);
      }
    };
  }

  @Test
  void aPrewarmedAndProbedConnectionIsNeitherUsedNorReleasedBeforeACallTakesIt() throws Exception {
    peer.start();
    manualPool(PoolLimits.UNLIMITED);
    List<String> events = new CopyOnWriteArrayList<>();
    pool.addListener(recorder(events));
    Address address = address(peer.port());
    prewarm(address, settings(new Http1ConnectionProvider()), 1);

    pool.prewarmer().runOnce(0);
    pool.prewarmer().runOnce(MILLI); // Probes the idle connection.

    assertThat(events).containsExactly("opened");
    CallLease lease = new CallLease(new FakeCall("http://127.0.0.1/"));
    RealConnection connection = pool.acquire(address, null, lease);
    assertThat(connection).isNotNull();
    assertThat(pool.leaseCount(connection)).isEqualTo(1);
    assertThat(connection.useCount()).as("uses, counting the call's").isEqualTo(1);
    pool.release(connection, lease);
  }

  @Test
  void probingAnIdleConnectionDoesNotRestartItsIdleTime() throws Exception {
    peer.start();
    AtomicLong clock = new AtomicLong();
    pool = new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), clock::get, false,
        PoolLimits.UNLIMITED);
    List<String> events = new CopyOnWriteArrayList<>();
    pool.addListener(recorder(events));
    Address address = address(peer.port());
    prewarm(address, settings(new Http1ConnectionProvider()), 1);
    pool.prewarmer().runOnce(0);

    clock.set(TimeUnit.MINUTES.toNanos(4));
    pool.prewarmer().runOnce(clock.get()); // Probes it; it stays idle since minute 0.
    clock.set(TimeUnit.MINUTES.toNanos(6));
    pool.cleanup(clock.get());

    assertThat(events).containsExactly("opened", "closed IDLE_TIMEOUT");
    assertThat(pool.connectionCount()).isZero();
  }
}
