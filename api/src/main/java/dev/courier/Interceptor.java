package dev.courier;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Observes, changes or short-circuits requests going out and responses coming back.
 *
 * <p>Application interceptors run once per call, before retries and redirects, and may call
 * {@link Chain#proceed} zero or more times. Network interceptors run once per network exchange,
 * must call {@code proceed} exactly once, and may not change the request's host or port.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Interceptor {
  /** Handles {@code chain.request()}, usually by calling {@code chain.proceed}. */
  Response intercept(Chain chain) throws IOException;

  /** Gives an interceptor its request and the means to pass it on. */
  interface Chain {
    /** Returns the request at this point of the chain. */
    Request request();

    /** Passes {@code request} to the next interceptor and returns its response. */
    Response proceed(Request request) throws IOException;

    /** Returns the connection the request is sent on; null for application interceptors. */
    Connection connection();

    /** Returns the call this chain serves. */
    Call call();

    /** Returns the call's event listener, for interceptors that report events (such as the cache). */
    EventListener eventListener();

    /** Returns the connect timeout in milliseconds; 0 means none. */
    int connectTimeoutMillis();

    /** Returns a chain whose connect timeout is {@code timeout}; for application interceptors. */
    Chain withConnectTimeout(int timeout, TimeUnit unit);

    /** Returns the read timeout in milliseconds; 0 means none. */
    int readTimeoutMillis();

    /** Returns a chain whose read timeout is {@code timeout}. */
    Chain withReadTimeout(int timeout, TimeUnit unit);

    /** Returns the write timeout in milliseconds; 0 means none. */
    int writeTimeoutMillis();

    /** Returns a chain whose write timeout is {@code timeout}. */
    Chain withWriteTimeout(int timeout, TimeUnit unit);
  }
}
