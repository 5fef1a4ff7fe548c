package dev.courier.pool.internal;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the connect-step events as short strings, such as {@code "dnsStart example.com"}. */
public class RecordingEventListener extends EventListener {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<IOException> connectFailures = new CopyOnWriteArrayList<>();

  /** Returns the events so far. */
  public List<String> events() {
    return new ArrayList<>(events);
  }

  /** Returns only the names of the events so far, such as {@code "connectStart"}. */
  public List<String> names() {
    List<String> result = new ArrayList<>();
    for (String event : events) {
      int space = event.indexOf(' ');
      result.add(space == -1 ? event : event.substring(0, space));
    }
    return result;
  }

  /** Returns the failures reported by connectFailed. */
  public List<IOException> connectFailures() {
    return new ArrayList<>(connectFailures);
  }

  @Override
  public void proxySelectStart(Call call, HttpUrl url) {
    events.add("proxySelectStart " + url.host());
  }

  @Override
  public void proxySelectEnd(Call call, HttpUrl url, List<Proxy> proxies) {
    events.add("proxySelectEnd " + proxies);
  }

  @Override
  public void dnsStart(Call call, String domainName) {
    events.add("dnsStart " + domainName);
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
    events.add("dnsEnd " + domainName + " " + addresses.size());
  }

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    events.add("connectStart " + address);
  }

  @Override
  public void secureConnectStart(Call call) {
    events.add("secureConnectStart");
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    events.add("secureConnectEnd " + handshake.tlsVersion());
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    events.add("connectEnd " + protocol);
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      IOException failure) {
    connectFailures.add(failure);
    events.add("connectFailed " + address);
  }
}
