package dev.courier.http2.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends a keep-alive PING every interval from its own daemon thread, which ends with the
 * connection. Exists only when pings are enabled ({@code ConnectionOptions.pingIntervalMillis() > 0}).
 */
final class KeepAlivePinger {
  private final ScheduledThreadPoolExecutor executor;

  KeepAlivePinger(Http2Connection connection, int intervalMillis) {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "Courier h2 pinger " + connection.host);
      thread.setDaemon(true);
      return thread;
    });
    executor.scheduleAtFixedRate(connection.pings::keepAlivePing, intervalMillis, intervalMillis,
        TimeUnit.MILLISECONDS);
  }

  void stop() {
    executor.shutdownNow();
  }
}
