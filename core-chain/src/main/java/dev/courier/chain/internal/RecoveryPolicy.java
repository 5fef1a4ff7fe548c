package dev.courier.chain.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.StreamResetException;
import dev.courier.pool.ConnectionLimitTimeoutException;
import dev.courier.pool.internal.ExchangeFinder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownServiceException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Decides whether a call attempts its request again after a failure, where the next attempt goes,
 * and why. The rules, in order:
 *
 * <ol>
 *   <li>Nothing is retried when the client's {@code retryOnConnectionFailure} is off, or once a
 *       one-shot body was written.
 *   <li>A request that may have reached the server is resent only if it is
 *       {@linkplain Request#isRetryable() retryable} (an idempotent method, an
 *       {@code Idempotency-Key}, or marked so). One the server provably did not process (nothing
 *       was written yet, HTTP/2 REFUSED_STREAM, a stream above GOAWAY's last stream) may always be.
 *   <li>Failures another attempt would meet again (protocol errors, untrusted certificates, no
 *       allowed protocol, other stream resets, read timeouts) are final.
 *   <li>Every retry changes something: the next untried route, a new connection after a pooled one
 *       failed, or another connection after one shut down. With nothing left to change (route
 *       selection failed, every route tried) the call fails.
 *   <li>A call makes at most {@value #MAX_ATTEMPTS} attempts in all, however they failed.
 * </ol>
 *
 * Stateless and thread-safe.
 */
final class RecoveryPolicy {
  /** The most attempts a call makes at its requests, counting the first; follow-ups aside. */
  static final int MAX_ATTEMPTS = 3;

  /** HTTP/2 REFUSED_STREAM: the server did not process the stream, so it is safe to retry. */
  private static final long REFUSED_STREAM = 0x7;

  /** Where the next attempt looks for a connection. */
  enum Next {
    /** A new exchange finder: the pool first, then routes selected afresh. */
    NEW_FINDER,
    /** The current exchange finder, which moves on to the routes it has not tried. */
    SAME_FINDER,
    /** A new exchange finder that connects a new connection rather than taking a pooled one. */
    NEW_CONNECTION
  }

  /** Whether to attempt again, where, and why in words for the event listener. */
  record Decision(boolean retry, Next next, String reason) {
    static Decision stop(String reason) {
      return new Decision(false, null, reason);
    }

    static Decision retry(Next next, String reason) {
      return new Decision(true, next, reason);
    }
  }

  private final boolean retryOnConnectionFailure;

  RecoveryPolicy(boolean retryOnConnectionFailure) {
    this.retryOnConnectionFailure = retryOnConnectionFailure;
  }

  /**
   * Decides what follows {@code failure} of an attempt at {@code request}.
   *
   * @param exchange the attempt's exchange, or null if no connection was found for it
   * @param finder the attempt's exchange finder
   * @param attempts how many attempts the call has made so far, the failed one included
   */
  Decision decide(IOException failure, Request request, Exchange exchange, ExchangeFinder finder,
      int attempts) {
    if (!retryOnConnectionFailure) {
      return Decision.stop("not retried: retryOnConnectionFailure is off");
    }
    RequestBody body = request.body();
    if (exchange != null && exchange.requestBodyStarted() && body != null && body.isOneShot()) {
      return Decision.stop("not retried: the one-shot request body was already written");
    }
    boolean unprocessed = isUnprocessed(failure);
    boolean sendStarted = exchange != null && exchange.requestSendStarted();
    if (sendStarted && !unprocessed && !request.isRetryable()) {
      return Decision.stop("not retried: " + notRetryableReason(request) + " and may have reached the server");
    }
    String unrecoverable = unrecoverableReason(failure, sendStarted);
    if (unrecoverable != null) {
      return Decision.stop("not retried: " + unrecoverable);
    }
    if (attempts >= MAX_ATTEMPTS) {
      return Decision.stop("not retried: the call made " + attempts + " attempts, the most it makes");
    }
    if (unprocessed) {
      return Decision.retry(Next.NEW_FINDER,
          "the server did not process the request (" + failure.getMessage() + "); retrying");
    }
    if (exchange != null && !exchange.isFreshConnection()) {
      // A pooled connection that failed has most likely gone stale while idle, and its idle
      // neighbours may have too; a new connection will not have.
      return Decision.retry(Next.NEW_CONNECTION, "a pooled connection failed; retrying on a new connection");
    }
    if (finder != null && finder.hasMoreRoutes()) {
      return Decision.retry(Next.SAME_FINDER, exchange == null
          ? "connecting failed; trying the next route"
          : "a new connection failed; trying the next route");
    }
    return Decision.stop("not retried: no other route or proxy is left to try");
  }

  /** Returns true if {@code failure} proves the server did not process the request. */
  static boolean isUnprocessed(IOException failure) {
    return failure instanceof ConnectionShutdownException
        || (failure instanceof StreamResetException
            && ((StreamResetException) failure).errorCode() == REFUSED_STREAM);
  }

  private static String notRetryableReason(Request request) {
    if (Request.isIdempotent(request.method())) {
      return request.method() + " is marked not retryable";
    }
    return request.method() + " is not idempotent (no Idempotency-Key, not marked retryable)";
  }

  /** Returns why another attempt would fail the same way, or null if it might not. */
  private static String unrecoverableReason(IOException failure, boolean requestSendStarted) {
    if (failure instanceof ExtendedConnectUnavailableException) {
      return "the HTTP/2 server did not enable the extended CONNECT protocol; the caller chooses "
          + "another way";
    }
    if (failure instanceof ProtocolException) {
      return "a protocol error";
    }
    if (failure instanceof UnknownServiceException) {
      return "no protocol or connection spec the client allows fits";
    }
    if (failure instanceof StreamResetException
        && ((StreamResetException) failure).errorCode() != REFUSED_STREAM) {
      // The server reset a stream it may have processed; only REFUSED_STREAM says it did not.
      return "the server reset the stream";
    }
    if (failure instanceof ConnectionLimitTimeoutException) {
      return "no connection slot freed up under the pool's limits within the connect timeout";
    }
    if (failure instanceof InterruptedIOException) {
      // A connect timeout may pass on another route; a read timeout means the server is slow.
      if (failure instanceof SocketTimeoutException && !requestSendStarted) {
        return null;
      }
      return "a timeout after the request was sent";
    }
    if (failure instanceof SSLHandshakeException && hasCause(failure, CertificateException.class)) {
      return "the certificate is not trusted";
    }
    if (failure instanceof SSLPeerUnverifiedException) {
      return "the peer could not be verified";
    }
    return null;
  }

  /** Returns true if {@code type} is among the causes of {@code failure} (described failures wrap). */
  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) return true;
    }
    return false;
  }
}
