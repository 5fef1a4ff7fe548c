package dev.courier;

import java.io.IOException;

/** Receives the outcome of an asynchronous {@link Call}. Exactly one method is called, once. */
public interface Callback {
  /**
   * Handles a failure: a network error, timeout or cancellation. The server may or may not have
   * received the request.
   */
  void onFailure(Call call, IOException e);

  /**
   * Handles a response, successful or not. The callee must close the response, and may read the
   * body on this thread.
   */
  void onResponse(Call call, Response response) throws IOException;
}
