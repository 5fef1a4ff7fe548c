package dev.courier;

import dev.courier.internal.InMemoryCookieJar;
import java.util.List;

/**
 * Stores the cookies that responses set and supplies the cookies that requests send.
 *
 * <p>The client calls {@link #saveFromResponse} with the cookies of every response it receives and
 * {@link #loadForRequest} before every request it sends, from whichever threads run the calls, so
 * <strong>implementations must be thread-safe</strong>. Both methods are called on the call's hot
 * path and should not block on I/O for long.
 *
 * <p>Cookie policy is the implementation's choice: it may accept every cookie, accept none, or
 * filter by domain. The cookies handed to {@link #saveFromResponse} have already been checked
 * against the response's url by {@link Cookie#parse(HttpUrl, String)}, including the Public
 * Suffix List check of their {@code Domain}; they may include cookies
 * that are already expired, which by RFC 6265 §5.3 delete the stored cookie with the same name,
 * domain and path.
 *
 * <p>{@link #NO_COOKIES}, the client's default, neither stores nor sends cookies. {@link
 * #inMemory()} keeps cookies in memory for the life of the jar.
 */
public interface CookieJar {
  /** Accepts no cookies and supplies none. Thread-safe. */
  CookieJar NO_COOKIES =
      new CookieJar() {
        @Override
        public void saveFromResponse(HttpUrl url, List<Cookie> cookies) {}

        @Override
        public List<Cookie> loadForRequest(HttpUrl url) {
          return List.of();
        }

        @Override
        public String toString() {
          return "CookieJar.NO_COOKIES";
        }
      };

  /**
   * Stores {@code cookies}, received in the response to {@code url}, according to this jar's
   * policy. The list may be empty and must not be modified.
   */
  void saveFromResponse(HttpUrl url, List<Cookie> cookies);

  /**
   * Returns the cookies to send with a request to {@code url}, in the order they should appear in
   * the {@code Cookie} header. Returns an empty list if there are none; never null.
   */
  List<Cookie> loadForRequest(HttpUrl url);

  /**
   * Returns a new, empty jar that keeps cookies in memory until the jar is discarded. It follows
   * RFC 6265 §5.3 and stores the cookies it is given as they are; refusing cookies for public
   * suffixes such as {@code co.uk} is done before, by {@link Cookie#parse(HttpUrl, String)}, which
   * checks the Public Suffix List. A cookie replaces the stored cookie with the same
   * name, domain and path, keeping its place in line; an expired cookie only deletes; expired
   * cookies are dropped when found; and a request receives only the cookies that {@link
   * Cookie#matches match} its url, longest paths first, then oldest first. Session cookies are
   * kept as long as the jar. The jar is thread-safe and does not limit how many cookies it holds.
   */
  static CookieJar inMemory() {
    return new InMemoryCookieJar();
  }
}
