package dev.courier.pool.internal;

import static dev.courier.pool.internal.TestConnections.connection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.pool.IdleTimeEvictionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AddressConnectionsTest {
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final Address address = new AddressBuilder("a.example.com", 80).build();
  private final AddressConnections list = new AddressConnections();

  private RealConnection newConnection() {
    return connection(pool, address, Protocol.HTTP_1_1);
  }

  private List<RealConnection> forward() {
    List<RealConnection> result = new ArrayList<>();
    for (RealConnection c = list.first(); c != null; c = AddressConnections.next(c)) {
      result.add(c);
    }
    return result;
  }

  private List<RealConnection> backward() {
    List<RealConnection> result = new ArrayList<>();
    for (RealConnection c = list.last(); c != null; c = AddressConnections.previous(c)) {
      result.add(0, c);
    }
    return result;
  }

  @Test
  void keepsInsertionOrderBothWays() {
    RealConnection a = newConnection();
    RealConnection b = newConnection();
    RealConnection c = newConnection();
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);

    assertThat(forward()).containsExactly(a, b, c);
    assertThat(backward()).containsExactly(a, b, c);
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void movingTheMiddleToTheEndKeepsTheOthersInOrder() {
    RealConnection a = newConnection();
    RealConnection b = newConnection();
    RealConnection c = newConnection();
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);

    list.moveToLast(b);
    assertThat(forward()).containsExactly(a, c, b);
    assertThat(backward()).containsExactly(a, c, b);

    list.moveToLast(b); // Already last: nothing changes.
    list.moveToLast(a);
    assertThat(forward()).containsExactly(c, b, a);
    assertThat(backward()).containsExactly(c, b, a);
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void removingEndsAndMiddleUnlinksOnlyThatConnection() {
    RealConnection a = newConnection();
    RealConnection b = newConnection();
    RealConnection c = newConnection();
    RealConnection d = newConnection();
    list.addLast(a);
    list.addLast(b);
    list.addLast(c);
    list.addLast(d);

    list.remove(b);
    assertThat(forward()).containsExactly(a, c, d);
    list.remove(a);
    assertThat(forward()).containsExactly(c, d);
    list.remove(d);
    assertThat(forward()).containsExactly(c);
    assertThat(backward()).containsExactly(c);
    list.remove(c);

    assertThat(list.isEmpty()).isTrue();
    assertThat(list.first()).isNull();
    assertThat(list.last()).isNull();
    assertThat(AddressConnections.next(b)).isNull();
    assertThat(AddressConnections.previous(b)).isNull();
  }

  @Test
  void aWalkerMayRemoveTheConnectionItStandsOn() {
    List<RealConnection> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RealConnection connection = newConnection();
      all.add(connection);
      list.addLast(connection);
    }

    for (RealConnection c = list.first(), next; c != null; c = next) {
      next = AddressConnections.next(c);
      if (all.indexOf(c) % 2 == 0) {
        list.remove(c);
      }
    }

    assertThat(forward()).containsExactly(all.get(1), all.get(3));
    assertThat(backward()).containsExactly(all.get(1), all.get(3));
  }
}
