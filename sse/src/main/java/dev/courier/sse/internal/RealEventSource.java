package dev.courier.sse.internal;

import dev.courier.Call;
import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.sse.EventSource;
import dev.courier.sse.EventSourceListener;
import dev.courier.sse.EventTooLargeException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one event source on a thread of its own: connects, reads events and hands them to the
 * listener, waits the reconnection time and reconnects with {@code Last-Event-ID}, until closed
 * or failed.
 *
 * <p>Concurrency: {@link #lock} guards {@link #closed} and {@link #currentCall} only; no I/O and
 * no callback runs under it. {@link #close()} cancels the current call outside the lock, which
 * unblocks the source's thread wherever it is reading.
 */
public final class RealEventSource implements EventSource, Runnable {
  private final Call.Factory client;
  private final Request request;
  private final EventSourceListener listener;
  private final EventSourceSettings settings;
  private final String peer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closedCondition = lock.newCondition();
  private boolean closed;
  private Call currentCall;
  private volatile String lastEventId;
  private volatile long retryDelayMillis;

  /** Creates a source that does nothing until {@link #start()}. */
  public RealEventSource(
      Call.Factory client, Request request, EventSourceListener listener, EventSourceSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.request = Objects.requireNonNull(request, "request");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.settings = Objects.requireNonNull(settings, "settings");
    HttpUrl url = request.url();
    this.peer = url.host() + ":" + url.port();
    String initialId = request.header("Last-Event-ID");
    this.lastEventId = initialId != null ? initialId : "";
    this.retryDelayMillis = settings.retryDelayMillis();
  }

  /** Starts the source's thread, which connects at once. */
  public void start() {
    Thread thread;
    if (settings.threadFactory() != null) {
      thread = settings.threadFactory().newThread(this);
      if (thread == null) {
        throw new IllegalStateException("thread factory " + settings.threadFactory() + " returned no thread");
      }
    } else {
      thread = new Thread(this, "Courier EventSource " + peer);
      thread.setDaemon(true);
    }
    thread.start();
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public void close() {
    Call toCancel;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      toCancel = currentCall;
      closedCondition.signalAll();
    } finally {
      lock.unlock();
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    boolean opened = false;
    int failedReconnects = 0;
    while (true) {
      Call call = newCall();
      if (call == null) {
        break;
      }
      Response response;
      try {
        response = call.execute();
      } catch (IOException e) {
        if (isClosed()) {
          break;
        }
        // A source that never opened fails at once: a wrong URL or a server that is down shows up now.
        if (!opened || ++failedReconnects >= settings.maxFailedReconnects()) {
          fail(e, null);
          return;
        }
        if (!awaitRetryDelay()) {
          break;
        }
        continue;
      }
      try {
        ProtocolException refusal = EventStreamResponses.refusal(response, peer);
        if (refusal != null) {
          if (isClosed()) {
            break;
          }
          fail(refusal, response);
          return;
        }
        opened = true;
        failedReconnects = 0;
        listener.onOpen(this, response);
        IOException streamFailure = readEvents(response);
        if (isClosed()) {
          break;
        }
        if (streamFailure instanceof EventTooLargeException) {
          fail(streamFailure, null);
          return;
        }
      } finally {
        response.close();
      }
      // The stream ended or broke after it opened: reconnect, as the server expects.
      if (!awaitRetryDelay()) {
        break;
      }
    }
    clearCurrentCall();
    listener.onClosed(this);
  }

  /** Returns a call for the next connection, or null if the source is closed. */
  private Call newCall() {
    Request.Builder builder = request.newBuilder();
    if (request.header("Accept") == null) {
      builder.header("Accept", "text/event-stream");
    }
    if (request.header("Cache-Control") == null) {
      builder.header("Cache-Control", "no-cache");
    }
    String id = lastEventId;
    if (!id.isEmpty() && isSendable(id)) {
      builder.header("Last-Event-ID", id);
    } else {
      builder.removeHeader("Last-Event-ID");
    }
    Call call = client.newCall(builder.build());
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      currentCall = call;
      return call;
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether {@code id} may go in a header; control characters may not. */
  private static boolean isSendable(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Reads events until the stream ends; returns the failure that ended it, or null at its end. */
  private IOException readEvents(Response response) {
    ServerSentEventReader reader = new ServerSentEventReader(
        response.body().source(), new ListenerCallback(), lastEventId, settings.maxEventBytes(), peer);
    try {
      while (!isClosed() && reader.processNextLine()) {
        // Each line is handed to the listener as it is read.
      }
      return null;
    } catch (IOException e) {
      return e;
    } finally {
      lastEventId = reader.lastEventId();
    }
  }

  /** Waits the reconnection time; returns false if the source was closed meanwhile. */
  private boolean awaitRetryDelay() {
    lock.lock();
    try {
      currentCall = null;
      long remainingNanos = TimeUnit.MILLISECONDS.toNanos(retryDelayMillis);
      while (!closed && remainingNanos > 0) {
        remainingNanos = closedCondition.awaitNanos(remainingNanos);
      }
      return !closed;
    } catch (InterruptedException e) {
      closed = true;
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void clearCurrentCall() {
    lock.lock();
    try {
      currentCall = null;
    } finally {
      lock.unlock();
    }
  }

  private void fail(Throwable t, Response response) {
    clearCurrentCall();
    listener.onFailure(this, t, response);
  }

  @Override
  public String toString() {
    return "EventSource{" + request.url() + "}";
  }

  /** Passes what the reader interprets to the listener, unless the source was closed. */
  private final class ListenerCallback implements ServerSentEventReader.Callback {
    @Override
    public void onEvent(String id, String type, String data) {
      lastEventId = id;
      if (!isClosed()) {
        listener.onEvent(RealEventSource.this, id, type, data);
      }
    }

    @Override
    public void onRetryChange(long retryMillis) {
      retryDelayMillis = retryMillis;
    }

    @Override
    public void onComment(String comment) {
      if (!isClosed()) {
        listener.onComment(RealEventSource.this, comment);
      }
    }
  }
}
