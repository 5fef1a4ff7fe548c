package dev.courier.chain.support;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every event of every call it is given to, in order, and knows which calls have not
 * ended yet (a call ends only once its response body is closed). Thread-safe.
 */
public final class EventRecorder extends EventListener {
  private final ConcurrentLinkedQueue<RecordedEvent> events = new ConcurrentLinkedQueue<>();

  private void record(Call call, String name, Object... arguments) {
    events.add(new RecordedEvent(call, name, Arrays.asList(arguments)));
  }

  /** Returns every event so far. */
  public List<RecordedEvent> events() {
    return new ArrayList<>(events);
  }

  /** Returns the names of {@code call}'s events, in order. */
  public List<String> eventNames(Call call) {
    List<String> result = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (event.call() == call) {
        result.add(event.name());
      }
    }
    return result;
  }

  /** Returns the names of all events, in order. */
  public List<String> eventNames() {
    List<String> result = new ArrayList<>();
    for (RecordedEvent event : events) {
      result.add(event.name());
    }
    return result;
  }

  /** Returns the events named {@code name}. */
  public List<RecordedEvent> events(String name) {
    List<RecordedEvent> result = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (event.name().equals(name)) {
        result.add(event);
      }
    }
    return result;
  }

  /** Returns the calls that started but have neither ended nor failed. */
  public List<Call> unfinishedCalls() {
    List<Call> started = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (event.name().equals("callStart")) {
        started.add(event.call());
      } else if (event.name().equals("callEnd") || event.name().equals("callFailed")) {
        started.remove(event.call());
      }
    }
    return started;
  }

  /** Forgets the events so far. */
  public void clear() {
    events.clear();
  }

  @Override
  public void callStart(Call call) {
    record(call, "callStart");
  }

  @Override
  public void proxySelectStart(Call call, HttpUrl url) {
    record(call, "proxySelectStart", url);
  }

  @Override
  public void proxySelectEnd(Call call, HttpUrl url, List<Proxy> proxies) {
    record(call, "proxySelectEnd", url, proxies);
  }

  @Override
  public void dnsStart(Call call, String domainName) {
    record(call, "dnsStart", domainName);
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
    record(call, "dnsEnd", domainName, addresses);
  }

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    record(call, "connectStart", address, proxy);
  }

  @Override
  public void secureConnectStart(Call call) {
    record(call, "secureConnectStart");
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    record(call, "secureConnectEnd", handshake);
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    record(call, "connectEnd", address, proxy, protocol);
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      IOException failure) {
    record(call, "connectFailed", address, proxy, failure);
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    record(call, "connectionAcquired", connection);
  }

  @Override
  public void connectionReleased(Call call, Connection connection) {
    record(call, "connectionReleased", connection);
  }

  @Override
  public void requestHeadersStart(Call call) {
    record(call, "requestHeadersStart");
  }

  @Override
  public void requestHeadersEnd(Call call, Request request) {
    record(call, "requestHeadersEnd", request);
  }

  @Override
  public void requestBodyStart(Call call) {
    record(call, "requestBodyStart");
  }

  @Override
  public void requestBodyEnd(Call call, long byteCount) {
    record(call, "requestBodyEnd", byteCount);
  }

  @Override
  public void requestFailed(Call call, IOException failure) {
    record(call, "requestFailed", failure);
  }

  @Override
  public void responseHeadersStart(Call call) {
    record(call, "responseHeadersStart");
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    record(call, "responseHeadersEnd", response);
  }

  @Override
  public void responseBodyStart(Call call) {
    record(call, "responseBodyStart");
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    record(call, "responseBodyEnd", byteCount);
  }

  @Override
  public void responseFailed(Call call, IOException failure) {
    record(call, "responseFailed", failure);
  }

  @Override
  public void retryDecision(Call call, IOException failure, boolean retrying, String reason) {
    record(call, "retryDecision", failure, retrying, reason);
  }

  @Override
  public void followUpDecision(Call call, Response response, Request followUp, String reason) {
    record(call, "followUpDecision", response, followUp, reason);
  }

  @Override
  public void callEnd(Call call) {
    record(call, "callEnd");
  }

  @Override
  public void callFailed(Call call, IOException failure) {
    record(call, "callFailed", failure);
  }

  @Override
  public void canceled(Call call) {
    record(call, "canceled");
  }
}
