package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlQueryTest {
  @Test
  void splitSeparatesNamesFromValuesAtFirstEquals() {
    assertThat(UrlQuery.split("a=1&b&c=&=d&e=f=g"))
        .containsExactly("a", "1", "b", null, "c", "", "", "d", "e", "f=g");
  }

  @Test
  void emptyQueryHasNoParameters() {
    assertThat(UrlQuery.split("")).isEmpty();
    assertThat(UrlQuery.size("")).isZero();
    assertThat(UrlQuery.size(null)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a=", "a=1&b", "&", "a&&b", "=&=", "a=b=c&d+e=%20"})
  void joinRestoresSplitQuery(String query) {
    List<String> namesAndValues = UrlQuery.split(query);

    assertThat(UrlQuery.join(namesAndValues)).isEqualTo(query);
    assertThat(UrlQuery.size(query)).isEqualTo(namesAndValues.size() / 2);
  }

  @Test
  void decodedAtReadsNameOrValueByIndex() {
    String query = "a+b=c%20d&e&f=";

    assertThat(UrlQuery.decodedAt(query, 0, false)).isEqualTo("a b");
    assertThat(UrlQuery.decodedAt(query, 0, true)).isEqualTo("c d");
    assertThat(UrlQuery.decodedAt(query, 1, true)).isNull();
    assertThat(UrlQuery.decodedAt(query, 2, true)).isEmpty();
    assertThatThrownBy(() -> UrlQuery.decodedAt(query, 3, false))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Query parameter index 3 out of range for 3");
  }

  @Test
  void decodedValuesStopsAtLimit() {
    String query = "a=1&b=2&a=3&a";

    assertThat(UrlQuery.decodedValues(query, "a", 1)).containsExactly("1");
    assertThat(UrlQuery.decodedValues(query, "a", Integer.MAX_VALUE)).containsExactly("1", "3", null);
    assertThat(UrlQuery.decodedValues(null, "a", 1)).isEmpty();
  }

  @Test
  void decodedValuesCompareDecodedNames() {
    assertThat(UrlQuery.decodedValues("%61=1&a=2&ab=3&b=4", "a", 10)).containsExactly("1", "2");
  }

  @Test
  void decodedNamesAreDistinctAndInOrder() {
    assertThat(UrlQuery.decodedNames("b=1&a&b=2&c+d")).containsExactly("b", "a", "c d");
  }

  @Test
  void removeAllComparesDecodedOrEncodedNames() {
    List<String> decoded = UrlQuery.split("a+b=1&a%20b=2&c=3");
    List<String> encoded = UrlQuery.split("a+b=1&a%20b=2&c=3");

    UrlQuery.removeAll(decoded, "a b", true);
    UrlQuery.removeAll(encoded, "a%20b", false);

    assertThat(decoded).containsExactly("c", "3");
    assertThat(encoded).containsExactly("a+b", "1", "c", "3");
  }
}
