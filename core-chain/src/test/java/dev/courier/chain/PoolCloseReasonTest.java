package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Poll;
import dev.courier.pool.CloseReason;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reasons calls give the pool for closing their connections, against a real server. */
@Timeout(30)
class PoolCloseReasonTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension();

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private final ConnectionPool pool = new ConnectionPool();
  private final List<CloseReason> reasons = new CopyOnWriteArrayList<>();

  private CourierClient client() {
    pool.addListener(new PoolListener() {
      @Override
      public void connectionClosed(PoolEvent event, CloseReason reason) {
        reasons.add(reason);
      }
    });
    return chain.client(builder -> builder.connectionPool(pool));
  }

  private static Request.Builder get(TestServer server) {
    return new Request.Builder().url(server.url("/"));
  }

  @Test
  void serverAnsweringConnectionCloseClosesItByPeer() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Connection", "close").body("bye").build());
    CourierClient client = client();

    try (Response response = client.newCall(get(server).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("bye");
    }

    Poll.until("the connection closed", () -> !reasons.isEmpty());
    assertThat(reasons).containsExactly(CloseReason.CLOSED_BY_PEER);
    assertThat(pool.statistics().closedCount(CloseReason.CLOSED_BY_PEER)).isEqualTo(1);
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void requestAskingConnectionCloseIsEvictedByTheUser() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    CourierClient client = client();

    try (Response response = client.newCall(get(server).header("Connection", "close").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
    }

    Poll.until("the connection closed", () -> !reasons.isEmpty());
    assertThat(reasons).containsExactly(CloseReason.EVICTED_BY_USER);
  }

  @Test
  void truncatedBodyClosesItForAnError() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("0123456789abcdef").fault(Fault.CLOSE_MID_BODY).build());
    CourierClient client = client();

    try (Response response = client.newCall(get(server).build()).execute()) {
      assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
    }

    Poll.until("the connection closed", () -> !reasons.isEmpty());
    assertThat(reasons).containsExactly(CloseReason.ERROR);
    assertThat(pool.statistics().closedCount(CloseReason.ERROR)).isEqualTo(1);
  }

  @Test
  void reusedConnectionCountsOneOpenedAndTwoAcquisitions() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().body("ok").build());
    CourierClient client = client();

    for (int i = 0; i < 2; i++) {
      try (Response response = client.newCall(get(server).build()).execute()) {
        assertThat(response.body().string()).isEqualTo("ok");
      }
    }

    assertThat(pool.statistics().openedCount()).isEqualTo(1);
    assertThat(pool.statistics().acquisitionCount()).isEqualTo(2);
    assertThat(pool.statistics().idleCount()).isEqualTo(1);
    assertThat(pool.statistics().pendingAcquisitions()).isZero();
    assertThat(reasons).isEmpty();
  }
}
