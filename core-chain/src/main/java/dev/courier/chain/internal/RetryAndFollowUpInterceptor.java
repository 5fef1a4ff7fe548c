package dev.courier.chain.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Interceptor;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.StreamResetException;
import dev.courier.chain.CourierClient;
import dev.courier.pool.internal.ExchangeFinder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Recovers from connection failures by retrying on another route or a fresh connection when that
 * is safe, and follows redirects, authentication challenges and retryable statuses, up to
 * {@value #MAX_FOLLOW_UPS} follow-ups. Stateless: each call's state lives in {@link #intercept}.
 */
final class RetryAndFollowUpInterceptor implements Interceptor {
  /** How many redirects and challenges a call follows; Chrome follows 21, Firefox 20, curl 50. */
  static final int MAX_FOLLOW_UPS = 20;

  /** How many times a call retries a connection that stopped taking exchanges or refused a stream. */
  private static final int MAX_SHUTDOWN_RETRIES = 2;

  /** HTTP/2 REFUSED_STREAM: the server did not process the stream, so it is safe to retry. */
  private static final long REFUSED_STREAM = 0x7;

  private final CourierClient client;
  private final FollowUpRequests followUps;

  RetryAndFollowUpInterceptor(CourierClient client) {
    this.client = client;
    this.followUps = new FollowUpRequests(client);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    RealInterceptorChain realChain = (RealInterceptorChain) chain;
    RealCall call = realChain.call();
    Request request = chain.request();
    Response priorResponse = null;
    int followUpCount = 0;
    int shutdownRetries = 0;
    boolean newFinder = true;
    List<IOException> recoveredFailures = null;

    while (true) {
      call.enterNetworkInterceptorExchange(request, newFinder);
      boolean closeActiveExchange = true;
      try {
        if (call.isCanceled()) {
          throw new IOException("Canceled");
        }
        Response response;
        try {
          response = realChain.proceed(request);
          newFinder = true;
        } catch (IOException e) {
          if (call.isCanceled()) {
            throw withSuppressed(canceled(e), recoveredFailures);
          }
          boolean shutdown = isShutdownOrRefused(e);
          if (shutdown && ++shutdownRetries > MAX_SHUTDOWN_RETRIES) {
            throw withSuppressed(e, recoveredFailures);
          }
          if (!recover(e, call, request, shutdown)) {
            throw withSuppressed(e, recoveredFailures);
          }
          if (recoveredFailures == null) {
            recoveredFailures = new ArrayList<>(2);
          }
          recoveredFailures.add(e);
          // After a failed connect the finder moves on to its untried routes; after a failure on
          // a connection, a new finder looks in the pool and connects afresh.
          newFinder = shutdown || call.attemptExchange() != null;
          continue;
        }

        if (priorResponse != null) {
          response = response.newBuilder()
              .priorResponse(priorResponse.newBuilder().body(null).build())
              .build();
        }
        Request followUp = followUps.followUpRequest(response, call.route());
        if (followUp == null) {
          closeActiveExchange = false;
          return response;
        }
        RequestBody followUpBody = followUp.body();
        if (followUpBody != null && followUpBody.isOneShot()) {
          closeActiveExchange = false;
          return response;
        }
        if (response.code() == 421) {
          call.forbidCoalescing();
        }
        response.close();
        if (++followUpCount > MAX_FOLLOW_UPS) {
          throw new ProtocolException("Too many follow-up requests: " + followUpCount + ", the last to "
              + followUp.url().redact());
        }
        request = followUp;
        priorResponse = response;
      } finally {
        call.exitNetworkInterceptorExchange(closeActiveExchange);
      }
    }
  }

  /**
   * Returns true if the request may be sent again after {@code failure}: retries are enabled, no
   * one-shot body was spent, the failure is one a new attempt can fix, and there is somewhere new
   * to send it.
   */
  private boolean recover(IOException failure, RealCall call, Request request, boolean shutdown) {
    if (!client.retryOnConnectionFailure()) {
      return false;
    }
    Exchange exchange = call.attemptExchange();
    boolean requestSendStarted = exchange != null && exchange.requestSendStarted();
    RequestBody body = request.body();
    if (exchange != null && exchange.requestBodyStarted() && body != null && body.isOneShot()) {
      return false;
    }
    if (!isRecoverable(failure, requestSendStarted)) {
      return false;
    }
    if (shutdown) {
      return true;
    }
    if (exchange != null && !exchange.isFreshConnection()) {
      // A pooled connection that failed has most likely gone stale while idle; a fresh one may not.
      return true;
    }
    ExchangeFinder finder = call.exchangeFinder();
    return finder != null && finder.hasMoreRoutes();
  }

  private static boolean isRecoverable(IOException failure, boolean requestSendStarted) {
    if (failure instanceof ProtocolException) {
      return false;
    }
    if (failure instanceof StreamResetException
        && ((StreamResetException) failure).errorCode() != REFUSED_STREAM) {
      // The server reset a stream it may have processed; only REFUSED_STREAM says it did not.
      return false;
    }
    if (failure instanceof InterruptedIOException) {
      // A connect timeout may pass on another route; a read timeout means the server is slow.
      return failure instanceof SocketTimeoutException && !requestSendStarted;
    }
    if (failure instanceof SSLHandshakeException
        && failure.getCause() instanceof CertificateException) {
      return false;
    }
    if (failure instanceof SSLPeerUnverifiedException) {
      return false;
    }
    return true;
  }

  private static boolean isShutdownOrRefused(IOException failure) {
    return failure instanceof ConnectionShutdownException
        || (failure instanceof StreamResetException
            && ((StreamResetException) failure).errorCode() == REFUSED_STREAM);
  }

  private static IOException canceled(IOException cause) {
    if ("Canceled".equals(cause.getMessage())) {
      return cause;
    }
    return new IOException("Canceled", cause);
  }

  private static IOException withSuppressed(IOException failure, List<IOException> earlier) {
    if (earlier != null) {
      for (IOException e : earlier) {
        if (e != failure) {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  @Override
  public String toString() {
    return "RetryAndFollowUpInterceptor";
  }
}
