package dev.courier.chain.support;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.IOException;

/**
 * Holds what one synchronous call did: a response read to its end, an IOException, or another
 * exception that escaped; and how long it took.
 *
 * @param response {@code "<code> <body> over <protocol>"}, null if the call failed
 * @param failure the IOException the call or reading the body threw, or null
 * @param unexpected any other exception that escaped, or null
 * @param elapsedNanos from before {@code execute()} to after the body was read or the failure
 */
public record CallOutcome(String response, IOException failure, RuntimeException unexpected, long elapsedNanos) {
  /** Executes {@code request} on {@code client}, reads the whole body and closes the response. */
  public static CallOutcome of(CourierClient client, Request request) {
    long start = System.nanoTime();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body().string();
      return new CallOutcome(response.code() + " " + body + " over " + response.protocol(), null, null,
          System.nanoTime() - start);
    } catch (IOException e) {
      return new CallOutcome(null, e, null, System.nanoTime() - start);
    } catch (RuntimeException e) {
      return new CallOutcome(null, null, e, System.nanoTime() - start);
    }
  }

  /** Returns the response, or "failed with" the exception's simple class name and message. */
  public String describe() {
    if (response != null) {
      return response;
    }
    Throwable thrown = failure != null ? failure : unexpected;
    return "failed with " + thrown.getClass().getSimpleName() + " '" + thrown.getMessage() + "'";
  }
}
