package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlPathSegmentsTest {
  private static List<String> segments(String... segments) {
    return new ArrayList<>(Arrays.asList(segments));
  }

  private static String path(List<String> segments) {
    StringBuilder out = new StringBuilder();
    UrlPathSegments.appendPath(out, segments);
    return out.toString();
  }

  @Test
  void pathIsSlashBeforeEverySegment() {
    assertThat(path(segments(""))).isEqualTo("/");
    assertThat(path(segments("a", ""))).isEqualTo("/a/");
    assertThat(path(segments("a", "b"))).isEqualTo("/a/b");
  }

  @Test
  void pushFillsEmptyLastSegmentOrAppends() {
    List<String> segments = segments("");

    UrlPathSegments.push(segments, "a", true);
    assertThat(segments).containsExactly("a", "");
    UrlPathSegments.push(segments, "b", false);
    assertThat(segments).containsExactly("a", "b");
    UrlPathSegments.push(segments, "c", false);
    assertThat(segments).containsExactly("a", "b", "c");
  }

  @Test
  void pushOfDotDotRemovesLastNamedSegment() {
    List<String> file = segments("a", "b");
    List<String> directory = segments("a", "b", "");
    List<String> root = segments("");

    UrlPathSegments.push(file, "..", false);
    UrlPathSegments.push(directory, "..", false);
    UrlPathSegments.push(root, "..", false);

    assertThat(file).containsExactly("a", "");
    assertThat(directory).containsExactly("a", "");
    assertThat(root).containsExactly("");
  }

  @Test
  void pushOfDotChangesNothing() {
    List<String> segments = segments("a", "b");

    UrlPathSegments.push(segments, ".", true);

    assertThat(segments).containsExactly("a", "b");
  }

  @Test
  void absoluteReferenceReplacesPath() {
    List<String> segments = segments("x", "y");

    UrlPathSegments.resolve(segments, "/a/b/", 0, 5);

    assertThat(segments).containsExactly("a", "b", "");
  }

  @Test
  void relativeReferenceStartsFromDirectory() {
    List<String> segments = segments("x", "y");

    UrlPathSegments.resolve(segments, "a\\..\\b", 0, 6);

    assertThat(segments).containsExactly("x", "b");
  }

  @Test
  void emptyReferenceChangesNothing() {
    List<String> segments = segments("x", "y");

    UrlPathSegments.resolve(segments, "zz", 1, 1);

    assertThat(segments).containsExactly("x", "y");
  }

  @Test
  void referenceSegmentsAreCanonicalized() {
    List<String> segments = segments("");

    UrlPathSegments.resolve(segments, "/a b/%/ü", 0, 8);

    assertThat(segments).containsExactly("a%20b", "%", "%C3%BC");
  }

  @Test
  void dotSegmentsAreRecognizedInEncodedForms() {
    assertThat(UrlPathSegments.isDot(".")).isTrue();
    assertThat(UrlPathSegments.isDot("%2E")).isTrue();
    assertThat(UrlPathSegments.isDot("..")).isFalse();
    assertThat(UrlPathSegments.isDot("%2f")).isFalse();
    assertThat(UrlPathSegments.isDotDot("..")).isTrue();
    assertThat(UrlPathSegments.isDotDot(".%2e")).isTrue();
    assertThat(UrlPathSegments.isDotDot("%2E.")).isTrue();
    assertThat(UrlPathSegments.isDotDot("%2e%2E")).isTrue();
    assertThat(UrlPathSegments.isDotDot("...")).isFalse();
    assertThat(UrlPathSegments.isDotDot("%2e%2f")).isFalse();
    assertThat(UrlPathSegments.isDotDot("a.")).isFalse();
  }
}
