package dev.courier.sse;

import dev.courier.Call;
import dev.courier.Request;
import dev.courier.sse.internal.EventSourceSettings;
import dev.courier.sse.internal.RealEventSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Opens {@link EventSource}s on a Courier client.
 *
 * <pre>{@code
 * EventSource source = EventSources.connect(client, request, new EventSourceListener() {
 *   @Override public void onEvent(EventSource source, String id, String type, String data) {
 *     System.out.println(type + ": " + data);
 *   }
 * });
 * ...
 * source.close();
 * }</pre>
 *
 * <p>Each source sends its request with {@code Accept: text/event-stream} and {@code
 * Cache-Control: no-cache} unless the request sets those headers itself, and runs on a thread of
 * its own until it is closed or fails. The client's read timeout applies to every read of the
 * stream: a stream idle for longer fails with a timeout and the source reconnects, so set the
 * read timeout above the server's keep-alive interval (or to zero). A call timeout on the client
 * likewise ends each connection when it expires.
 */
public final class EventSources {
  private EventSources() {}

  /**
   * Opens an event source with the default settings of {@link Factory.Builder} and starts
   * connecting at once.
   *
   * @param client the client whose calls carry the stream, usually a {@code CourierClient}
   */
  public static EventSource connect(Call.Factory client, Request request, EventSourceListener listener) {
    return factory(client).build().newEventSource(request, listener);
  }

  /** Returns a builder for a factory of event sources on {@code client}. */
  public static Factory.Builder factory(Call.Factory client) {
    return new Factory.Builder(client);
  }

  /**
   * Opens event sources with one set of settings. Immutable and thread-safe; build one with
   * {@link EventSources#factory(Call.Factory)}.
   */
  public static final class Factory {
    private final Call.Factory client;
    private final EventSourceSettings settings;

    private Factory(Builder builder) {
      this.client = builder.client;
      this.settings = new EventSourceSettings(
          builder.retryDelay.toMillis(), builder.maxFailedReconnects, builder.maxEventBytes, builder.threadFactory);
    }

    /**
     * Opens an event source for {@code request} and starts connecting at once on the source's
     * thread; {@code listener} receives its callbacks.
     */
    public EventSource newEventSource(Request request, EventSourceListener listener) {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(listener, "listener");
      RealEventSource source = new RealEventSource(client, request, listener, settings);
      source.start();
      return source;
    }

    /** Returns a builder holding this factory's client and settings. */
    public Builder newBuilder() {
      Builder builder = new Builder(client);
      builder.retryDelay = Duration.ofMillis(settings.retryDelayMillis());
      builder.maxFailedReconnects = settings.maxFailedReconnects();
      builder.maxEventBytes = settings.maxEventBytes();
      builder.threadFactory = settings.threadFactory();
      return builder;
    }

    /** Collects the settings of a {@link Factory}. Not thread-safe. */
    public static final class Builder {
      /** The reconnection delay used until the server sends a {@code retry} field: 3 seconds. */
      public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(3);

      /** The default number of reconnections in a row that may fail before a source gives up: 5. */
      public static final int DEFAULT_MAX_FAILED_RECONNECTS = 5;

      /** The default limit on the size of one event: 8 MiB. */
      public static final long DEFAULT_MAX_EVENT_BYTES = 8L * 1024 * 1024;

      private final Call.Factory client;
      private Duration retryDelay = DEFAULT_RETRY_DELAY;
      private int maxFailedReconnects = DEFAULT_MAX_FAILED_RECONNECTS;
      private long maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
      private ThreadFactory threadFactory;

      Builder(Call.Factory client) {
        this.client = Objects.requireNonNull(client, "client");
      }

      /**
       * Sets how long a source waits before reconnecting, until the server sets another delay
       * with a {@code retry} field. Defaults to {@link #DEFAULT_RETRY_DELAY}.
       *
       * @throws IllegalArgumentException if {@code retryDelay} is negative
       */
      public Builder retryDelay(Duration retryDelay) {
        if (retryDelay.isNegative()) {
          throw new IllegalArgumentException("retryDelay must not be negative but was " + retryDelay);
        }
        this.retryDelay = retryDelay;
        return this;
      }

      /**
       * Sets how many reconnection attempts in a row may fail (network failure before a
       * response) before a source gives up with {@link EventSourceListener#onFailure}. A
       * successful reconnection resets the count. Defaults to {@link
       * #DEFAULT_MAX_FAILED_RECONNECTS}.
       *
       * @throws IllegalArgumentException if {@code maxFailedReconnects} is less than 1
       */
      public Builder maxFailedReconnects(int maxFailedReconnects) {
        if (maxFailedReconnects < 1) {
          throw new IllegalArgumentException("maxFailedReconnects must be at least 1 but was " + maxFailedReconnects);
        }
        this.maxFailedReconnects = maxFailedReconnects;
        return this;
      }

      /**
       * Sets the largest event a source accepts, counted in bytes of the event's field lines
       * (comments excluded), and so also the longest line. A larger event fails the source with
       * {@link EventTooLargeException}. Defaults to {@link #DEFAULT_MAX_EVENT_BYTES}.
       *
       * @throws IllegalArgumentException if {@code maxEventBytes} is less than 1
       */
      public Builder maxEventBytes(long maxEventBytes) {
        if (maxEventBytes < 1) {
          throw new IllegalArgumentException("maxEventBytes must be at least 1 but was " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        return this;
      }

      /**
       * Sets the factory of the thread each source runs on, for example {@code
       * Thread.ofVirtual().factory()}. Defaults to daemon threads named {@code "Courier
       * EventSource host:port"}.
       */
      public Builder threadFactory(ThreadFactory threadFactory) {
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        return this;
      }

      /** Returns a factory with these settings. */
      public Factory build() {
        return new Factory(this);
      }
    }
  }
}
