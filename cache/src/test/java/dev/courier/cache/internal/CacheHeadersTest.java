package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Headers;
import dev.courier.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheHeadersTest {
  private static Request request(String... headers) {
    return new Request.Builder().url("http://example.com/").headers(Headers.of(headers)).build();
  }

  @Test
  void storableDropsHopByHopFieldsAndThoseConnectionNames() {
    Headers headers = Headers.of("Content-Type", "text/plain", "Connection", "close, X-Hop",
        "X-Hop", "1", "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked", "TE", "trailers",
        "Upgrade", "h2c", "Proxy-Connection", "keep-alive", "ETag", "\"v\"");
    assertThat(CacheHeaders.storable(headers, List.of()))
        .isEqualTo(Headers.of("Content-Type", "text/plain", "ETag", "\"v\""));
  }

  @Test
  void storableDropsFieldsNamedByAQualifiedNoCache() {
    Headers headers = Headers.of("Set-Cookie", "a=b", "Cache-Control", "no-cache=\"Set-Cookie\"");
    assertThat(CacheHeaders.storable(headers, List.of("set-cookie")))
        .isEqualTo(Headers.of("Cache-Control", "no-cache=\"Set-Cookie\""));
  }

  @Test
  void mergeTakesNewFieldsFromThe304ButKeepsContentFields() {
    Headers stored = Headers.of("Content-Type", "text/plain", "Content-Length", "3",
        "Content-Encoding", "gzip", "ETag", "\"v1\"", "Cache-Control", "max-age=10",
        "X-Kept", "yes", "Warning", "110 - \"Response is Stale\"", "Warning", "299 - \"Kept\"");
    Headers notModified = Headers.of("ETag", "\"v1\"", "Cache-Control", "max-age=60",
        "Content-Length", "0", "Content-Type", "text/html", "X-New", "1");
    Headers merged = CacheHeaders.merge(stored, notModified);
    assertThat(merged.get("Content-Type")).isEqualTo("text/plain");
    assertThat(merged.get("Content-Length")).isEqualTo("3");
    assertThat(merged.get("Content-Encoding")).isEqualTo("gzip");
    assertThat(merged.values("Cache-Control")).containsExactly("max-age=60");
    assertThat(merged.values("ETag")).containsExactly("\"v1\"");
    assertThat(merged.get("X-Kept")).isEqualTo("yes");
    assertThat(merged.get("X-New")).isEqualTo("1");
    assertThat(merged.values("Warning")).containsExactly("299 - \"Kept\"");
  }

  @Test
  void mergeTakesDateAndAgeFromThe304Only() {
    Headers stored = Headers.of("Date", "Mon, 02 Mar 2026 10:00:00 GMT", "Age", "50", "ETag", "\"v\"");
    assertThat(CacheHeaders.merge(stored, Headers.of("ETag", "\"v\"")))
        .isEqualTo(Headers.of("ETag", "\"v\""));
    assertThat(CacheHeaders.merge(stored, Headers.of("Date", "Tue, 03 Mar 2026 10:00:00 GMT")).get("Date"))
        .isEqualTo("Tue, 03 Mar 2026 10:00:00 GMT");
  }

  @Test
  void varyHeadersRecordTheNamedRequestFields() {
    Headers response = Headers.of("Vary", "Accept-Encoding, accept-language", "Vary", "X-Absent");
    Headers vary = CacheHeaders.varyHeaders(
        request("Accept-Encoding", "gzip", "Accept-Language", "en", "Accept-Language", "fr",
            "User-Agent", "ignored"),
        response);
    assertThat(vary.values("Accept-Encoding")).containsExactly("gzip");
    assertThat(vary.values("Accept-Language")).containsExactly("en", "fr");
    assertThat(vary.get("User-Agent")).isNull();
    assertThat(vary.get("X-Absent")).isNull();
  }

  @Test
  void varyMatchesOnlyTheSameValues() {
    Headers response = Headers.of("Vary", "Accept-Language");
    Headers stored = CacheHeaders.varyHeaders(request("Accept-Language", "en"), response);
    assertThat(CacheHeaders.varyMatches(response, stored, request("accept-language", "en"))).isTrue();
    assertThat(CacheHeaders.varyMatches(response, stored, request("Accept-Language", "fr"))).isFalse();
    assertThat(CacheHeaders.varyMatches(response, stored, request())).isFalse();
    assertThat(CacheHeaders.varyMatches(Headers.EMPTY, Headers.EMPTY, request("X", "y"))).isTrue();
  }

  @Test
  void absentFieldMatchesAbsentField() {
    Headers response = Headers.of("Vary", "Cookie");
    Headers stored = CacheHeaders.varyHeaders(request(), response);
    assertThat(CacheHeaders.varyMatches(response, stored, request())).isTrue();
    assertThat(CacheHeaders.varyMatches(response, stored, request("Cookie", "a=b"))).isFalse();
  }
}
