package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamTableTest {
  private final StreamTable<String> table = new StreamTable<>();

  @Test
  void putGetAndRemove() {
    table.put(1, "one");
    table.put(3, "three");
    table.put(3, "three again");

    assertThat(table.size()).isEqualTo(2);
    assertThat(table.get(1)).isEqualTo("one");
    assertThat(table.get(3)).isEqualTo("three again");
    assertThat(table.get(5)).isNull();
    assertThat(table.get(0)).isNull();
    assertThat(table.remove(1)).isEqualTo("one");
    assertThat(table.remove(1)).isNull();
    assertThat(table.get(1)).isNull();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.values()).containsExactly("three again");
  }

  @Test
  void idZeroIsRefused() {
    assertThatThrownBy(() -> table.put(0, "connection")).isInstanceOf(IllegalArgumentException.class);
    assertThat(table.remove(0)).isNull();
  }

  @Test
  void growsPastItsFirstCapacityAndKeepsEveryEntry() {
    for (int id = 1; id < 2001; id += 2) {
      table.put(id, "s" + id);
    }
    assertThat(table.size()).isEqualTo(1000);
    for (int id = 1; id < 2001; id += 2) {
      assertThat(table.get(id)).isEqualTo("s" + id);
    }
    assertThat(table.values()).hasSize(1000).contains("s1", "s999", "s1999");
    table.clear();
    assertThat(table.size()).isZero();
    assertThat(table.get(1)).isNull();
    assertThat(table.values()).isEmpty();
  }

  @Test
  void removalKeepsCollidingEntriesFindable() {
    // 1, 33 and 65 share a home slot in the first 16 slots; 3 sits where 33 would go next, and
    // 31 is the last slot, so the run wraps around.
    for (int id : new int[] {31, 63, 1, 33, 3, 65}) {
      table.put(id, "s" + id);
    }
    assertThat(table.remove(31)).isEqualTo("s31");
    assertThat(table.remove(1)).isEqualTo("s1");
    for (int id : new int[] {63, 33, 3, 65}) {
      assertThat(table.get(id)).as("id %d", id).isEqualTo("s" + id);
    }
    assertThat(table.size()).isEqualTo(4);
  }

  @Test
  void agreesWithAHashMapOverRandomOperations() {
    Random random = new Random(20261205L);
    Map<Integer, String> expected = new HashMap<>();
    for (int round = 0; round < 50_000; round++) {
      // Few distinct ids, odd and even, so that puts, removals and collisions meet often, and
      // some near the top of the id range.
      int id = random.nextInt(8) == 0 ? Integer.MAX_VALUE - random.nextInt(64) : 1 + random.nextInt(96);
      switch (random.nextInt(3)) {
        case 0 -> {
          table.put(id, "v" + round);
          expected.put(id, "v" + round);
        }
        case 1 -> assertThat(table.remove(id)).isEqualTo(expected.remove(id));
        default -> assertThat(table.get(id)).isEqualTo(expected.get(id));
      }
      assertThat(table.size()).isEqualTo(expected.size());
    }
    assertThat(table.values()).containsExactlyInAnyOrderElementsOf(expected.values());
  }
}
