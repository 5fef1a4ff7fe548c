package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.Route;
import org.junit.jupiter.api.Test;

class RouteDatabaseTest {
  private final RouteDatabase database = new RouteDatabase();
  private final Address address = new AddressBuilder("example.com", 80).build();

  @Test
  void remembersFailuresUntilASuccess() {
    Route route = TestConnections.route(address, "127.0.0.2");
    assertThat(database.shouldPostpone(route)).isFalse();

    database.failed(route);
    assertThat(database.shouldPostpone(route)).isTrue();
    assertThat(database.shouldPostpone(TestConnections.route(address, "127.0.0.3"))).isFalse();

    database.connected(route);
    assertThat(database.shouldPostpone(route)).isFalse();
  }

  @Test
  void memoryIsBounded() {
    for (int i = 0; i < RouteDatabase.MAX_FAILED_ROUTES + 10; i++) {
      Address other = new AddressBuilder("host" + i + ".example", 80).build();
      database.failed(TestConnections.route(other, "127.0.0.2"));
    }

    assertThat(database.failedCount()).isLessThanOrEqualTo(RouteDatabase.MAX_FAILED_ROUTES);
    assertThat(database.failedCount()).isPositive();
  }
}
