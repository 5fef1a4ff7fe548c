package dev.courier.chain.support;

import dev.courier.testing.LoopbackPeer;
import dev.courier.testing.RequestHeads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * An HTTP/1.1 server of raw sockets that misbehaves on purpose: it reads each request whole (head
 * and a Content-Length body), records it, and then, as its script says for that request (counted
 * from 0 across connections), answers 200 with a body and keeps the connection, or closes the
 * connection without a word. Counts how many requests arrived, so a test can tell a request that
 * was resent from one that was not. One thread per connection; {@link #close()} ends them all.
 */
public final class PerRequestPeer implements AutoCloseable {
  /** What the peer does after reading a request. */
  public enum Action {
    /** Answers {@code 200 OK} with a short body and reads the next request. */
    RESPOND,
    /** Closes the connection without answering, as a server that went away does. */
    CLOSE
  }

  private final LoopbackPeer peer;
  private final IntFunction<Action> script;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private PerRequestPeer(LoopbackPeer peer, IntFunction<Action> script) {
    this.peer = peer;
    this.script = script;
  }

  /** Starts a peer on every local address (so 127.0.0.2 reaches it too) that follows {@code script}. */
  public static PerRequestPeer start(IntFunction<Action> script) throws IOException {
    return start(null, script);
  }

  /** Starts a peer on {@code bindAddress} (every address if null) that follows {@code script}. */
  public static PerRequestPeer start(InetAddress bindAddress, IntFunction<Action> script) throws IOException {
    LoopbackPeer peer = LoopbackPeer.open(bindAddress, LoopbackPeer.DEFAULT_TIMEOUT);
    PerRequestPeer result = new PerRequestPeer(peer, script);
    peer.serve("PerRequestPeer " + peer.port(), (index, socket) -> {
      try {
        result.serveConnection(socket.getInputStream(), socket.getOutputStream());
      } catch (IOException e) {
        // The client went away or the peer is closing.
      }
    });
    return result;
  }

  /** Returns the port the peer listens on. */
  public int port() {
    return peer.port();
  }

  /** Returns {@code http://localhost:port} plus {@code path}. */
  public String url(String path) {
    return "http://localhost:" + port() + path;
  }

  /** Returns how many requests arrived whole. */
  public int requestCount() {
    return requests.size();
  }

  /** Returns the request lines and bodies that arrived, such as {@code "POST /a body=x"}. */
  public List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** Returns how many connections were accepted. */
  public int connectionCount() {
    return peer.acceptedCount();
  }

  private void serveConnection(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String head = RequestHeads.readOrNull(in);
      if (head == null) {
        return;
      }
      int contentLength = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          contentLength = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(contentLength);
      String requestLine = head.substring(0, head.indexOf("\r\n"));
      String method = requestLine.substring(0, requestLine.indexOf(' '));
      String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(' '));
      int index;
      synchronized (requests) {
        index = requests.size();
        requests.add(method + " " + target + (body.length > 0 ? " body=" + new String(body, StandardCharsets.UTF_8) : ""));
      }
      if (script.apply(index) == Action.CLOSE) {
        return;
      }
      byte[] responseBody = ("response " + index).getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + responseBody.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(responseBody);
      out.flush();
    }
  }

  /** Stops accepting, closes any open connection and waits for the serving threads to end. */
  @Override
  public void close() throws IOException {
    peer.close();
  }
}
