package dev.courier.examples;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Prints what happens during each call: DNS, connect, TLS, whether the connection was new or
 * reused, and when the response headers and body arrived, in milliseconds since the call started.
 *
 * <p>Thread-safe: state is kept per call.
 */
final class CallTrace extends EventListener {
  private final PrintStream out;
  // Per call: its start in nanos and its number, for telling interleaved concurrent calls apart.
  private final Map<Call, long[]> startNanos = new IdentityHashMap<>();
  private long callCount;
  // A lock rather than synchronized: calls may run on virtual threads, and printing blocks.
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Call, Boolean> connected = new IdentityHashMap<>();

  private final boolean showHeaders;

  CallTrace(PrintStream out) {
    this(out, false);
  }

  /** Traces to {@code out}, with each request's and response's headers if {@code showHeaders}. */
  CallTrace(PrintStream out, boolean showHeaders) {
    this.out = out;
    this.showHeaders = showHeaders;
  }

  /** Prints a head (its first line, then its headers) with each line behind {@code prefix}. */
  private void printHead(String prefix, String first, Headers headers) {
    StringBuilder text = new StringBuilder().append(prefix).append(first).append('\n');
    for (int i = 0; i < headers.size(); i++) {
      text.append(prefix).append(headers.name(i)).append(": ").append(headers.value(i)).append('\n');
    }
    text.append(prefix.trim()).append('\n');
    lock.lock();
    try {
      out.print(text);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void requestHeadersEnd(Call call, Request request) {
    if (!showHeaders) return;
    String target = request.url().encodedPath()
        + (request.url().encodedQuery() != null ? "?" + request.url().encodedQuery() : "");
    printHead("> ", request.method() + " " + target, request.headers());
  }

  private void print(Call call, String what) {
    lock.lock();
    try {
      printLocked(call, what);
    } finally {
      lock.unlock();
    }
  }

  private void printLocked(Call call, String what) {
    long[] start = startNanos.get(call);
    long elapsedMicros = start == null ? 0 : (System.nanoTime() - start[0]) / 1_000;
    String number = start == null ? "?" : Long.toString(start[1]);
    out.println("* #" + number + " " + pad(elapsedMicros / 1000 + "." + threeDigits(elapsedMicros % 1000))
        + " ms  " + what);
  }

  private static String threeDigits(long n) {
    return n < 10 ? "00" + n : n < 100 ? "0" + n : Long.toString(n);
  }

  private static String pad(String s) {
    return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
  }

  @Override
  public void callStart(Call call) {
    lock.lock();
    try {
      startNanos.put(call, new long[] {System.nanoTime(), ++callCount});
      connected.put(call, false);
    } finally {
      lock.unlock();
    }
    print(call, call.request().method() + " " + call.request().url());
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
    print(call, "resolved " + domainName + " to " + addresses);
  }

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    lock.lock();
    try {
      connected.put(call, true);
    } finally {
      lock.unlock();
    }
    print(call, "connecting to " + address + (proxy.type() == Proxy.Type.DIRECT ? "" : " via " + proxy));
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    print(call, "TLS " + handshake.tlsVersion() + " " + handshake.cipherSuite()
        + ", server " + handshake.peerPrincipal());
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    print(call, "connected, protocol " + protocol);
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      IOException failure) {
    print(call, "connect to " + address + " failed: " + failure);
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    boolean fresh;
    lock.lock();
    try {
      fresh = connected.getOrDefault(call, false);
    } finally {
      lock.unlock();
    }
    print(call, (fresh ? "new" : "reused") + " connection " + connection.route().socketAddress()
        + " (" + connection.protocol() + ", id " + Integer.toHexString(System.identityHashCode(connection)) + ")");
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    String message = response.message().isEmpty() ? "" : " " + response.message();
    print(call, "response " + response.code() + message + " over " + response.protocol());
    if (showHeaders) {
      printHead("< ", response.protocol() + " " + response.code() + message, response.headers());
    }
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    // A count below zero ends an exchange that switched protocols: it had no body to count.
    if (byteCount >= 0) {
      print(call, "body read, " + byteCount + " bytes");
    }
  }

  @Override
  public void webSocketUpgraded(Call call, Protocol protocol) {
    print(call, "switched protocols: WebSocket over " + WebSocketSession.transport(protocol));
  }

  @Override
  public void cacheHit(Call call, Response response) {
    print(call, "served from cache");
  }

  @Override
  public void cacheConditionalHit(Call call, Response cachedResponse) {
    print(call, "cache revalidated with the server (304)");
  }

  @Override
  public void callEnd(Call call) {
    print(call, "done");
    lock.lock();
    try {
      startNanos.remove(call);
      connected.remove(call);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void callFailed(Call call, IOException failure) {
    print(call, "failed: " + failure);
    lock.lock();
    try {
      startNanos.remove(call);
      connected.remove(call);
    } finally {
      lock.unlock();
    }
  }
}
