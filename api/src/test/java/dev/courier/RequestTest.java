package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class RequestTest {
  @Test
  void defaultsToGetWithoutBody() {
    Request request = new Request.Builder().url("https://example.com/a").build();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.body()).isNull();
    assertThat(request.isHttps()).isTrue();
  }

  @Test
  void getWithBodyIsRejected() {
    RequestBody body = RequestBody.create("x", null);
    assertThatThrownBy(() -> new Request.Builder().url("http://h/").method("GET", body))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method GET must not have a request body.");
  }

  @Test
  void postWithoutBodyIsRejected() {
    assertThatThrownBy(() -> new Request.Builder().url("http://h/").method("POST", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method POST must have a request body.");
  }

  @Test
  void methodMustBeAToken() {
    assertThatThrownBy(() -> new Request.Builder().url("http://h/").method("GE T", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a token");
  }

  @Test
  void missingUrlIsReportedOnBuild() {
    assertThatThrownBy(() -> new Request.Builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("url == null");
  }

  @Test
  void newBuilderCopiesEverythingIncludingTags() {
    Request original = new Request.Builder().url("http://h/").header("A", "1").tag(String.class, "t").build();
    Request copy = original.newBuilder().addHeader("B", "2").build();
    assertThat(copy.header("A")).isEqualTo("1");
    assertThat(copy.header("B")).isEqualTo("2");
    assertThat(copy.tag(String.class)).isEqualTo("t");
    assertThat(original.header("B")).isNull();
  }

  @Test
  void changingTagsOfACopyLeavesTheOriginalAlone() {
    Request original = new Request.Builder().url("http://h/").tag(String.class, "t").build();
    Request copy = original.newBuilder().tag(String.class, null).tag(Integer.class, 1).build();
    assertThat(copy.tag(String.class)).isNull();
    assertThat(copy.tag(Integer.class)).isEqualTo(1);
    assertThat(original.tag(String.class)).isEqualTo("t");
    assertThat(original.tag(Integer.class)).isNull();
  }

  @Test
  void builderKeepsWorkingAfterBuild() {
    Request.Builder builder = new Request.Builder().url("http://h/").header("A", "1").tag(String.class, "t");
    Request first = builder.build();
    Request second = builder.header("A", "2").tag(String.class, "u").build();
    assertThat(first.header("A")).isEqualTo("1");
    assertThat(first.tag(String.class)).isEqualTo("t");
    assertThat(second.header("A")).isEqualTo("2");
    assertThat(second.tag(String.class)).isEqualTo("u");
  }

  @Test
  void headersGivenWholeCanBeChangedAfterwards() {
    Headers given = Headers.of("A", "1", "B", "2");
    Request request = new Request.Builder().url("http://h/").headers(given).removeHeader("A").build();
    assertThat(request.headers()).isEqualTo(Headers.of("B", "2"));
    assertThat(given.get("A")).isEqualTo("1");
  }

  @Test
  void removingAHeaderFromACopyLeavesTheOriginalAlone() {
    Request original = new Request.Builder().url("http://h/").header("A", "1").build();
    Request copy = original.newBuilder().removeHeader("A").build();
    assertThat(copy.header("A")).isNull();
    assertThat(copy.headers().size()).isZero();
    assertThat(original.header("A")).isEqualTo("1");
  }

  @Test
  void stringBodyAddsUtf8CharsetWhenTheTypeHasNone() throws IOException {
    RequestBody body = RequestBody.create("h\u00e9", MediaType.get("text/plain"));
    assertThat(body.contentType().toString()).isEqualTo("text/plain; charset=utf-8");
    assertThat(body.contentLength()).isEqualTo(3);
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    assertThat(buffer.readString(StandardCharsets.UTF_8)).isEqualTo("h\u00e9");
    assertThat(body.isOneShot()).isFalse();
  }

  @Test
  void toStringRedactsTheUrl() {
    Request request = new Request.Builder().url("https://user:pw@example.com/secret?token=1").build();
    assertThat(request.toString()).doesNotContain("pw").doesNotContain("token").contains("example.com");
  }

  @Test
  void idempotentMethodsAreRetryableByDefault() {
    RequestBody body = RequestBody.create("x", null);
    for (String method : new String[] {"GET", "HEAD", "OPTIONS", "TRACE", "DELETE"}) {
      assertThat(new Request.Builder().url("http://h/").method(method, null).build().isRetryable())
          .as(method).isTrue();
    }
    assertThat(new Request.Builder().url("http://h/").put(body).build().isRetryable()).isTrue();
  }

  @Test
  void otherMethodsAreNotRetryableEvenWithAReplayableBody() {
    RequestBody body = RequestBody.create("x", null);
    assertThat(body.isOneShot()).isFalse();
    assertThat(new Request.Builder().url("http://h/").post(body).build().isRetryable()).isFalse();
    assertThat(new Request.Builder().url("http://h/").patch(body).build().isRetryable()).isFalse();
    assertThat(new Request.Builder().url("http://h/").method("PROPFIND", null).build().isRetryable()).isFalse();
    // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
    assertThat(new Request.Builder().url("http://h/").method("get", null).build().isRetryable()).isFalse();
  }

  @Test
  void idempotencyKeyMakesAPostRetryable() {
    Request request = new Request.Builder().url("http://h/").post(RequestBody.create("x", null))
        .header("Idempotency-Key", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"").build();
    assertThat(request.isRetryable()).isTrue();
  }

  @Test
  void retryableOverridesTheMethodAndSurvivesNewBuilder() {
    Request post = new Request.Builder().url("http://h/").post(RequestBody.create("x", null))
        .retryable(true).build();
    assertThat(post.isRetryable()).isTrue();
    assertThat(post.newBuilder().url("http://other/").build().isRetryable()).isTrue();

    Request get = new Request.Builder().url("http://h/").header("Idempotency-Key", "k").retryable(false).build();
    assertThat(get.isRetryable()).isFalse();
    assertThat(get.newBuilder().build().isRetryable()).isFalse();
  }

  @Test
  void cacheControlSetsParsesAndRemovesTheHeader() {
    CacheControl control = CacheControl.builder().noCache().maxStale(30, java.util.concurrent.TimeUnit.SECONDS).build();
    Request request = new Request.Builder().url("http://h/").cacheControl(control).build();
    assertThat(request.header("Cache-Control")).isEqualTo("no-cache, max-stale=30");
    assertThat(request.cacheControl().noCache()).isTrue();
    assertThat(request.cacheControl().maxStaleSeconds()).isEqualTo(30);
    Request cleared = request.newBuilder().cacheControl(CacheControl.builder().build()).build();
    assertThat(cleared.header("Cache-Control")).isNull();
    assertThat(cleared.cacheControl().noCache()).isFalse();
  }

  @Test
  void cacheControlReadsPragmaWithoutCacheControl() {
    Request request = new Request.Builder().url("http://h/").header("Pragma", "no-cache").build();
    assertThat(request.cacheControl().noCache()).isTrue();
    assertThat(request.cacheControl()).isSameAs(request.cacheControl());
  }
}
