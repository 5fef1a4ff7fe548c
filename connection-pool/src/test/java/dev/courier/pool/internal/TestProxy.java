package dev.courier.pool.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.courier.testing.LoopbackPeer;
import dev.courier.testing.RequestHeads;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on 127.0.0.1 that understands only CONNECT. Each request is answered with the next
 * scripted {@link Answer} (by default: open the tunnel); a tunnel always leads to the one loopback
 * target given at construction, whatever host the request names. Records every request head.
 * Listens, runs its threads and closes on a {@link LoopbackPeer}.
 */
public final class TestProxy implements Closeable {
  /** How to answer one CONNECT request. */
  public static final class Answer {
    final String response;
    final boolean close;

    private Answer(String response, boolean close) {
      this.response = response;
      this.close = close;
    }

    /** Answers 200 and relays bytes to and from the target. */
    public static Answer tunnel() {
      return new Answer(null, false);
    }

    /** Answers with {@code rawResponse} and keeps the connection for the next request. */
    public static Answer respond(String rawResponse) {
      return new Answer(rawResponse, false);
    }

    /** Answers with {@code rawResponse} and closes the connection. */
    public static Answer respondAndClose(String rawResponse) {
      return new Answer(rawResponse, true);
    }
  }

  private final InetSocketAddress target;
  private final LoopbackPeer peer;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private volatile Answer defaultAnswer = Answer.tunnel();
  private final List<List<String>> heads = new CopyOnWriteArrayList<>();

  public TestProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.peer = LoopbackPeer.open();
    peer.serve("TestProxy", (index, client) -> serve(client));
  }

  /** Returns the proxy to configure a client with. */
  public Proxy proxy() {
    return new Proxy(Proxy.Type.HTTP, peer.socketAddress());
  }

  /** Returns the proxy's socket address. */
  public InetSocketAddress socketAddress() {
    return (InetSocketAddress) proxy().address();
  }

  public void enqueue(Answer answer) {
    answers.add(answer);
  }

  /** Sets the answer used when the queue is empty. */
  public void defaultAnswer(Answer answer) {
    this.defaultAnswer = answer;
  }

  /** Returns every request head received, each as its lines without line endings. */
  public List<List<String>> heads() {
    return new ArrayList<>(heads);
  }

  public int connectionCount() {
    return peer.acceptedCount();
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (true) {
        String head = RequestHeads.readOrNull(in);
        if (head == null) {
          return;
        }
        heads.add(new ArrayList<>(Arrays.asList(head.substring(0, head.length() - 4).split("\r\n"))));
        Answer answer = answers.poll();
        if (answer == null) {
          answer = defaultAnswer;
        }
        if (answer.response == null) {
          Socket upstream = peer.connect(target);
          out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(ISO_8859_1));
          out.flush();
          peer.fork("TestProxy relay", () -> SocketRelay.relay(upstream, client));
          SocketRelay.relay(client, upstream);
          return;
        }
        out.write(answer.response.getBytes(ISO_8859_1));
        out.flush();
        if (answer.close) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** Closes the listening socket and every connection, and waits for the proxy's threads. */
  @Override
  public void close() throws IOException {
    peer.close();
  }
}
