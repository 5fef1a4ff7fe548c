package dev.courier.internal;

import dev.courier.Cookie;
import dev.courier.CookieJar;
import dev.courier.HttpUrl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps cookies in memory, keyed by name, domain and path, as {@link CookieJar#inMemory()}
 * describes. Internal: use {@link CookieJar#inMemory()}.
 *
 * <p>Thread-safe: one lock guards the store, and no work other than map and list operations happens
 * under it.
 */
public final class InMemoryCookieJar implements CookieJar {
  /** Orders longer paths first (RFC 6265 §5.4 step 2); a stable sort keeps ties oldest first. */
  private static final Comparator<Cookie> LONGEST_PATH_FIRST =
      (a, b) -> Integer.compare(b.path().length(), a.path().length());

  private final LongSupplier clockMillis;
  private final ReentrantLock lock = new ReentrantLock();

  /** Cookies in creation order; a replacement keeps the original's position. Guarded by lock. */
  private final LinkedHashMap<Key, Cookie> cookies = new LinkedHashMap<>();

  /** Creates an empty jar that reads the time from {@link System#currentTimeMillis()}. */
  public InMemoryCookieJar() {
    this(System::currentTimeMillis);
  }

  /** Creates an empty jar that reads epoch milliseconds from {@code clockMillis}. */
  public InMemoryCookieJar(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /**
   * Stores each cookie in {@code cookies}, replacing any stored cookie with the same name, domain
   * and path. An expired cookie removes the stored one and is not itself stored.
   */
  @Override
  public void saveFromResponse(HttpUrl url, List<Cookie> cookies) {
    if (cookies.isEmpty()) return;
    long nowMillis = clockMillis.getAsLong();
    lock.lock();
    try {
      for (Cookie cookie : cookies) {
        Key key = new Key(cookie.name(), cookie.domain(), cookie.path());
        if (cookie.expiresAt() <= nowMillis) {
          this.cookies.remove(key);
        } else {
          this.cookies.put(key, cookie);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the unexpired cookies that match {@code url}, longest path first and then oldest
   * first, and drops every expired cookie from the jar. Returns an immutable list.
   */
  @Override
  public List<Cookie> loadForRequest(HttpUrl url) {
    long nowMillis = clockMillis.getAsLong();
    List<Cookie> result = null;
    lock.lock();
    try {
      for (Iterator<Map.Entry<Key, Cookie>> i = cookies.entrySet().iterator(); i.hasNext(); ) {
        Cookie cookie = i.next().getValue();
        if (cookie.expiresAt() <= nowMillis) {
          i.remove();
        } else if (cookie.matches(url)) {
          if (result == null) result = new ArrayList<>();
          result.add(cookie);
        }
      }
    } finally {
      lock.unlock();
    }
    if (result == null) return List.of();
    result.sort(LONGEST_PATH_FIRST);
    return Collections.unmodifiableList(result);
  }

  /** Returns every cookie in the jar, expired or not, in creation order, as an immutable list. */
  public List<Cookie> all() {
    lock.lock();
    try {
      return List.copyOf(cookies.values());
    } finally {
      lock.unlock();
    }
  }

  /** Returns a string naming this jar and how many cookies it holds. */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "InMemoryCookieJar{size=" + cookies.size() + "}";
    } finally {
      lock.unlock();
    }
  }

  /** Identifies a stored cookie: a new one with the same key replaces it (RFC 6265 §5.3 step 11). */
  private record Key(String name, String domain, String path) {}
}
