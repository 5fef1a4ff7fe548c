package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CacheControlTest {
  private static CacheControl parse(String... namesAndValues) {
    return CacheControl.parse(Headers.of(namesAndValues));
  }

  @Test
  void noHeadersMeansNoDirectives() {
    CacheControl control = parse();
    assertThat(control.noCache()).isFalse();
    assertThat(control.noStore()).isFalse();
    assertThat(control.maxAgeSeconds()).isEqualTo(-1);
    assertThat(control.sMaxAgeSeconds()).isEqualTo(-1);
    assertThat(control.maxStaleSeconds()).isEqualTo(-1);
    assertThat(control.minFreshSeconds()).isEqualTo(-1);
    assertThat(control.staleWhileRevalidateSeconds()).isEqualTo(-1);
    assertThat(control.staleIfErrorSeconds()).isEqualTo(-1);
    assertThat(control.toString()).isEmpty();
  }

  @Test
  void parsesEveryDirective() {
    CacheControl control = parse("Cache-Control", "no-cache, no-store, max-age=1, s-maxage=2, "
        + "private, public, must-revalidate, proxy-revalidate, max-stale=3, min-fresh=4, "
        + "only-if-cached, no-transform, immutable, stale-while-revalidate=5, stale-if-error=6");
    assertThat(control.noCache()).isTrue();
    assertThat(control.noStore()).isTrue();
    assertThat(control.maxAgeSeconds()).isEqualTo(1);
    assertThat(control.sMaxAgeSeconds()).isEqualTo(2);
    assertThat(control.isPrivate()).isTrue();
    assertThat(control.isPublic()).isTrue();
    assertThat(control.mustRevalidate()).isTrue();
    assertThat(control.proxyRevalidate()).isTrue();
    assertThat(control.maxStaleSeconds()).isEqualTo(3);
    assertThat(control.minFreshSeconds()).isEqualTo(4);
    assertThat(control.onlyIfCached()).isTrue();
    assertThat(control.noTransform()).isTrue();
    assertThat(control.immutable()).isTrue();
    assertThat(control.staleWhileRevalidateSeconds()).isEqualTo(5);
    assertThat(control.staleIfErrorSeconds()).isEqualTo(6);
  }

  @Test
  void directivesAreCaseInsensitiveAndSpreadOverFields() {
    CacheControl control = parse("cache-control", "MAX-AGE=10", "Cache-Control", "Private");
    assertThat(control.maxAgeSeconds()).isEqualTo(10);
    assertThat(control.isPrivate()).isTrue();
    assertThat(control.toString()).isEqualTo("MAX-AGE=10, Private");
  }

  @Test
  void quotedArgumentsAreAccepted() {
    assertThat(parse("Cache-Control", "max-age=\"60\"").maxAgeSeconds()).isEqualTo(60);
  }

  @Test
  void firstOfARepeatedDirectiveWins() {
    assertThat(parse("Cache-Control", "max-age=5, max-age=500").maxAgeSeconds()).isEqualTo(5);
  }

  @Test
  void invalidMaxAgeMeansStale() {
    assertThat(parse("Cache-Control", "max-age=soon").maxAgeSeconds()).isZero();
    assertThat(parse("Cache-Control", "max-age").maxAgeSeconds()).isZero();
  }

  @Test
  void hugeDeltaSecondsAreCapped() {
    assertThat(parse("Cache-Control", "max-age=99999999999999999999").maxAgeSeconds())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void maxStaleWithoutValueAcceptsAnyStaleness() {
    assertThat(parse("Cache-Control", "max-stale").maxStaleSeconds()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void qualifiedNoCacheNamesFieldsWithoutForbiddingReuse() {
    CacheControl control = parse("Cache-Control", "no-cache=\"Set-Cookie, X-Token\", max-age=5");
    assertThat(control.noCache()).isFalse();
    assertThat(control.noCacheFields()).containsExactly("Set-Cookie", "X-Token");
    assertThat(control.maxAgeSeconds()).isEqualTo(5);
  }

  @Test
  void unknownDirectivesAndJunkAreIgnored() {
    CacheControl control = parse("Cache-Control", "community=\"UCI\", ,, x y z, max-age=7");
    assertThat(control.maxAgeSeconds()).isEqualTo(7);
  }

  @Test
  void pragmaNoCacheCountsOnlyWithoutCacheControl() {
    assertThat(parse("Pragma", "no-cache").noCache()).isTrue();
    assertThat(parse("Pragma", "no-cache", "Cache-Control", "max-age=5").noCache()).isFalse();
  }

  @Test
  void builderWritesRequestDirectives() {
    CacheControl control = CacheControl.builder()
        .noCache()
        .noStore()
        .maxAge(90, TimeUnit.SECONDS)
        .maxStale(2, TimeUnit.MINUTES)
        .minFresh(3, TimeUnit.SECONDS)
        .onlyIfCached()
        .noTransform()
        .staleIfError(1, TimeUnit.HOURS)
        .build();
    assertThat(control.toString()).isEqualTo("no-cache, no-store, max-age=90, max-stale=120, "
        + "min-fresh=3, only-if-cached, no-transform, stale-if-error=3600");
    CacheControl reparsed = parse("Cache-Control", control.toString());
    assertThat(reparsed.maxStaleSeconds()).isEqualTo(120);
    assertThat(reparsed.staleIfErrorSeconds()).isEqualTo(3600);
  }

  @Test
  void builderRejectsNegativeDurations() {
    assertThatThrownBy(() -> CacheControl.builder().maxAge(-1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAge < 0: -1");
  }

  @Test
  void forceCacheAndForceNetwork() {
    assertThat(CacheControl.FORCE_NETWORK.toString()).isEqualTo("no-cache");
    assertThat(CacheControl.FORCE_CACHE.toString()).isEqualTo("max-stale, only-if-cached");
  }

  @Test
  void newBuilderKeepsEveryDirectiveAndChangesOne() {
    CacheControl parsed = parse("Cache-Control", "max-age=10, no-transform, stale-if-error=5, private");
    CacheControl changed = parsed.newBuilder().noCache().build();
    assertThat(changed.toString()).isEqualTo("no-cache, max-age=10, private, no-transform, stale-if-error=5");
    assertThat(parsed.noCache()).isFalse();
  }
}
