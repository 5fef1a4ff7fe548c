package dev.courier.chain.internal;

import dev.courier.EventListener;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovers from failed attempts by attempting the request again when {@link RecoveryPolicy} finds
 * that safe and useful (at most {@value RecoveryPolicy#MAX_ATTEMPTS} attempts per call), and
 * follows redirects, authentication challenges and retryable statuses as {@link FollowUpRequests}
 * decides, up to {@link CourierClient#maxFollowUps()} follow-ups. Reports every decision to the call's
 * {@link dev.courier.EventListener}. Stateless: each call's state lives in {@link #intercept}.
 */
final class RetryAndFollowUpInterceptor implements BuiltInInterceptor {
  private final FollowUpRequests followUps;
  private final RecoveryPolicy recovery;
  private final int maxFollowUps;

  RetryAndFollowUpInterceptor(CourierClient client) {
    this.followUps = new FollowUpRequests(client);
    this.recovery = new RecoveryPolicy(client.retryOnConnectionFailure());
    this.maxFollowUps = client.maxFollowUps();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    RealInterceptorChain realChain = (RealInterceptorChain) chain;
    RealCall call = realChain.call();
    EventListener listener = call.eventListener();
    Request request = chain.request();
    Response priorResponse = null;
    int followUpCount = 0;
    int attempts = 0;
    RecoveryPolicy.Next next = RecoveryPolicy.Next.NEW_FINDER;
    // At most MAX_ATTEMPTS - 1 entries: the failures the call recovered from, first one first.
    List<IOException> recoveredFailures = null;

    while (true) {
      call.enterNetworkInterceptorExchange(request, next);
      boolean closeActiveExchange = true;
      try {
        if (call.isCanceled()) {
          throw new IOException("Canceled");
        }
        Response response;
        try {
          attempts++;
          response = realChain.proceed(request);
          next = RecoveryPolicy.Next.NEW_FINDER;
        } catch (IOException e) {
          if (call.isCanceled()) {
            listener.retryDecision(call, e, false, "not retried: the call was canceled");
            throw withSuppressed(canceled(e), recoveredFailures);
          }
          RecoveryPolicy.Decision decision = recovery.decide(
              e, request, call.attemptExchange(), call.exchangeFinder(), attempts);
          listener.retryDecision(call, e, decision.retry(), decision.reason());
          if (!decision.retry()) {
            throw withSuppressed(e, recoveredFailures);
          }
          if (recoveredFailures == null) {
            recoveredFailures = new ArrayList<>(RecoveryPolicy.MAX_ATTEMPTS - 1);
          }
          recoveredFailures.add(e);
          next = decision.next();
          continue;
        }

        if (priorResponse != null) {
          response = response.newBuilder()
              .priorResponse(priorResponse.newBuilder().body(null).build())
              .build();
        }
        FollowUpRequests.Decision decision = followUps.followUp(response, call.route());
        Request followUp = decision.next();
        if (followUp != null && followUpCount + 1 > maxFollowUps) {
          listener.followUpDecision(call, response, null, decision.reason()
              + "; not sent: the call already followed " + maxFollowUps + " responses");
          response.close();
          throw new ProtocolException("Too many follow-up requests: " + (followUpCount + 1)
              + ", the last to " + followUp.url().redact());
        }
        if (decision.considered()) {
          listener.followUpDecision(call, response, followUp, decision.reason());
        }
        if (followUp == null) {
          closeActiveExchange = false;
          return response;
        }
        if (response.code() == 421) {
          call.forbidCoalescing();
        }
        response.close();
        followUpCount++;
        request = followUp;
        priorResponse = response;
      } finally {
        call.exitNetworkInterceptorExchange(closeActiveExchange);
      }
    }
  }

  private static IOException canceled(IOException cause) {
    if ("Canceled".equals(cause.getMessage())) {
      return cause;
    }
    return new IOException("Canceled", cause);
  }

  /**
   * Attaches the failures the call recovered from to {@code failure}. The list is bounded by the
   * attempt limit; the check on what is already attached guards an exception instance that a
   * plug-in throws again and again.
   */
  private static IOException withSuppressed(IOException failure, List<IOException> earlier) {
    if (earlier != null) {
      for (IOException e : earlier) {
        if (e != failure && failure.getSuppressed().length < RecoveryPolicy.MAX_ATTEMPTS) {
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
