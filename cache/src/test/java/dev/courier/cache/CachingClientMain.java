package dev.courier.cache;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Fetches {@code /entry/0}, {@code /entry/1}, ... from a local server through a client with a
 * {@link Cache}, on several threads, until it is killed; run in a child JVM by {@link
 * CacheCrashTest}.
 *
 * <p>Usage: {@code CachingClientMain <cache directory>}. Lines on stdout: {@code opened
 * <entryCount>} once the cache is recovered, {@code server <base url>} with the server's address
 * (entry {@code n} is at {@code <base url>n}), {@code reading <n>} once the first bytes of entry
 * {@code n}'s body have arrived, {@code stored <n>} once its body was read to the end and the
 * response closed, and {@code error <n> <description>} if a body differs from {@link #body(int)}
 * or a call fails. {@code finished} if it runs out of entries before being killed.
 */
public final class CachingClientMain {
  static final long MAX_SIZE = 256L << 20;
  static final int ENTRY_COUNT = 2_000;
  static final int THREAD_COUNT = 4;
  static final String PATH_PREFIX = "/entry/";
  private static final int MAX_BODY_SIZE = 200 * 1024;
  private static final int THROTTLED_MIN_BODY_SIZE = 128 * 1024;

  private final ReentrantLock outLock = new ReentrantLock();
  private final PrintStream out;

  private CachingClientMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    CachingClientMain main = new CachingClientMain(System.out);
    TestServer server = new TestServer();
    server.dispatcher(CachingClientMain::respond);
    server.start();
    Cache cache = new Cache(new File(args[0]), MAX_SIZE);
    cache.initialize();
    main.report("opened " + cache.entryCount());
    main.report("server " + server.url(PATH_PREFIX));
    CourierClient client = CourierClient.builder().cache(cache).build();

    AtomicInteger next = new AtomicInteger();
    Thread[] threads = new Thread[THREAD_COUNT];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> main.fetchUntilDone(client, server, next), "fetcher-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) thread.join();
    main.report("finished");
    cache.close();
    server.close();
    client.connectionPool().evictAll();
  }

  /** Returns the body served for entry {@code index}: the same bytes on every run. */
  static byte[] body(int index) {
    Random random = new Random(index);
    int length;
    if (isThrottled(index)) {
      length = THROTTLED_MIN_BODY_SIZE + random.nextInt(MAX_BODY_SIZE - THROTTLED_MIN_BODY_SIZE + 1);
    } else if (index % 10 == 0) {
      length = 0;
    } else {
      length = random.nextInt(MAX_BODY_SIZE + 1);
    }
    byte[] result = new byte[length];
    random.nextBytes(result);
    return result;
  }

  /**
   * Returns true if entry {@code index} is sent slowly, so that a kill is likely to land while its
   * body is being read and stored.
   */
  static boolean isThrottled(int index) {
    return index % 4 == 3;
  }

  /** Returns the entry index named by {@code path}, or -1 if it names none. */
  static int index(String path) {
    if (!path.startsWith(PATH_PREFIX)) return -1;
    try {
      int index = Integer.parseInt(path.substring(PATH_PREFIX.length()));
      return index >= 0 ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ScriptedResponse respond(RecordedRequest request) {
    int index = index(request.path());
    if (index == -1) return ScriptedResponse.builder().status(404).build();
    byte[] body = body(index);
    ScriptedResponse.Builder response = ScriptedResponse.builder()
        .header("Cache-Control", "max-age=3600");
    // Both framings: a Content-Length body and a chunked one.
    if (index % 3 == 1) {
      response.chunkedBody(body, 16 * 1024);
    } else {
      response.body(body);
    }
    if (isThrottled(index)) response.throttleBody(8 * 1024, 20, TimeUnit.MILLISECONDS);
    return response.build();
  }

  private void fetchUntilDone(CourierClient client, TestServer server, AtomicInteger next) {
    for (int index; (index = next.getAndIncrement()) < ENTRY_COUNT; ) {
      try {
        fetch(client, server.url(PATH_PREFIX + index), index);
        report("stored " + index);
      } catch (IOException | RuntimeException e) {
        report("error " + index + " " + e);
      }
    }
  }

  private void fetch(CourierClient client, String url, int index) throws IOException {
    byte[] expected = body(index);
    Buffer received = new Buffer();
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      if (response.code() != 200) throw new IOException("status " + response.code() + " for " + url);
      BufferedSource source = response.body().source();
      boolean reported = false;
      while (source.read(received, 8192) != -1) {
        if (!reported) {
          report("reading " + index);
          reported = true;
        }
      }
    }
    if (!Arrays.equals(received.readByteArray(), expected)) {
      throw new IOException("body of " + url + " differs from what the server sent");
    }
  }

  private void report(String line) {
    outLock.lock();
    try {
      out.println(line);
      out.flush();
    } finally {
      outLock.unlock();
    }
  }
}
