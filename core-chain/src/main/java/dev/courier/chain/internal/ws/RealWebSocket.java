package dev.courier.chain.internal.ws;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.WebSocketProtocolException;
import dev.courier.chain.CourierClient;
import dev.courier.chain.internal.DaemonThreadFactory;
import dev.courier.chain.internal.ExtendedConnectUnavailableException;
import dev.courier.chain.internal.RealCall;
import dev.courier.spi.UpgradedStreams;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okio.ByteString;

/**
 * Runs one WebSocket (RFC 6455) over HTTP/1.1, or over a stream of an HTTP/2 connection (RFC
 * 8441). Two threads serve it: the reader thread makes the handshake call, reads frames and makes
 * every listener callback, in order; a writer thread (a single-thread scheduler) writes queued
 * frames, pings and enforces the close timeout.
 *
 * <p>The handshake call goes out with the client's own protocols, so it takes the pooled
 * connection to the origin like any call. On an HTTP/1.1 connection it asks to {@code Upgrade};
 * on an HTTP/2 connection whose server enabled the extended CONNECT protocol it opens a stream
 * with one, sharing the connection with other calls. On an HTTP/2 connection without it, nothing
 * is sent there and a second call opens a fresh HTTP/1.1 connection to upgrade.
 *
 * <p>A failure found on the writer thread, a timeout or {@link #cancel()} records the failure and
 * cancels the streams; the reader thread's blocked read then fails and the reader reports the
 * recorded failure, so that the listener hears of every end on its one thread. The lock guards the
 * queues and the state below; no I/O happens under it. Frames are written under the writer's own
 * lock, never under this one.
 */
public final class RealWebSocket implements WebSocket, WebSocketReader.FrameCallback {
  private static final ByteString NO_PAYLOAD = ByteString.EMPTY;

  private final Request request;
  private final WebSocketListener listener;
  private final WebSocketSettings settings;
  private final Random random;
  private final WebSocketHandshake handshake;
  /** The client for a fallback to HTTP/1.1 Upgrade, or null if the first call is HTTP/1.1 only. */
  private final CourierClient http1Client;
  // The handshake call in flight; replaced under lock by the fallback call.
  private volatile RealCall call;
  // Set once the handshake succeeded.
  private volatile Protocol protocol;
  private final String peer;
  private final Thread readerThread;
  private final ScheduledThreadPoolExecutor writerExecutor;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closeSent = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<ByteString> pongQueue = new ArrayDeque<>();
  private final ArrayDeque<Object> messageQueue = new ArrayDeque<>();
  private long queueSize;
  private boolean enqueuedClose;
  private boolean sentClose;
  private boolean receivedClose;
  private int receivedCloseCode = -1;
  private String receivedCloseReason;
  private boolean ended;
  private IOException pendingFailure;
  // Written under lock; volatile so that describing a failure may read it without the lock.
  private volatile UpgradedStreams streams;
  private WebSocketWriter writer;
  // The Sec-WebSocket-Extensions the server agreed to, once open.
  private volatile String extensions = "";
  private boolean awaitingPong;
  private int receivedPongs;

  private RealWebSocket(CourierClient client, Request request, WebSocketListener listener,
      WebSocketSettings settings, Random random) {
    this.listener = listener;
    this.settings = settings;
    this.random = random;
    this.handshake = new WebSocketHandshake(random, settings.compression());
    this.request = handshake.request(request);
    this.peer = request.url().host() + ":" + request.url().port();
    // A cached response is no answer to a handshake.
    CourierClient handshakeClient = client.newBuilder().cache(null).build();
    boolean mayUseHttp2 = false;
    for (Protocol offered : handshakeClient.protocols()) {
      mayUseHttp2 |= offered.isMultiplexed();
    }
    this.http1Client = mayUseHttp2
        ? handshakeClient.newBuilder().protocols(List.of(Protocol.HTTP_1_1)).build()
        : null;
    this.call = newHandshakeCall(handshakeClient);
    this.readerThread = new DaemonThreadFactory("Courier WebSocket reader " + peer)
        .newThread(this::run);
    this.writerExecutor = new ScheduledThreadPoolExecutor(1,
        new DaemonThreadFactory("Courier WebSocket writer " + peer));
    this.writerExecutor.setRemoveOnCancelPolicy(true);
  }

  /**
   * Opens a WebSocket on {@code client} and starts its handshake at once.
   *
   * @throws IllegalArgumentException if the request's method is not GET or it has a body
   */
  public static WebSocket open(CourierClient client, Request request, WebSocketListener listener,
      WebSocketSettings settings) {
    return open(client, request, listener, settings, new SecureRandom());
  }

  /** Opens a WebSocket whose keys and masks come from {@code random}. */
  static RealWebSocket open(CourierClient client, Request request, WebSocketListener listener,
      WebSocketSettings settings, Random random) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(listener, "listener == null");
    if (!request.method().equals("GET") || request.body() != null) {
      throw new IllegalArgumentException(
          "A WebSocket opens with a GET request without a body, not " + request.method());
    }
    RealWebSocket webSocket = new RealWebSocket(client, request, listener, settings, random);
    webSocket.readerThread.start();
    return webSocket;
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public String extensions() {
    return extensions;
  }

  @Override
  public long queueSize() {
    lock.lock();
    try {
      return queueSize;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean send(String text) {
    Objects.requireNonNull(text, "text == null");
    return enqueueMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8(text));
  }

  @Override
  public boolean send(ByteString bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    return enqueueMessage(WebSocketProtocol.OPCODE_BINARY, bytes);
  }

  @Override
  public boolean close(int code, String reason) {
    String problem = WebSocketProtocol.closeCodeProblem(code);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (reason != null
        && reason.getBytes(StandardCharsets.UTF_8).length > WebSocketProtocol.MAX_CLOSE_REASON_BYTES) {
      throw new IllegalArgumentException("reason.size() > "
          + WebSocketProtocol.MAX_CLOSE_REASON_BYTES + ": " + reason);
    }
    lock.lock();
    try {
      if (ended || enqueuedClose || pendingFailure != null) {
        return false;
      }
      enqueuedClose = true;
      messageQueue.add(new Close(code, reason));
    } finally {
      lock.unlock();
    }
    runWriter();
    return true;
  }

  @Override
  public void cancel() {
    failAsync(new IOException("WebSocket to " + peer + " canceled"));
  }

  @Override
  public String toString() {
    return "RealWebSocket{" + request.url().redact() + "}";
  }

  private boolean enqueueMessage(int opcode, ByteString payload) {
    lock.lock();
    try {
      if (ended || enqueuedClose || pendingFailure != null
          || payload.size() > settings.maxQueueBytes() - queueSize) {
        return false;
      }
      queueSize += payload.size();
      messageQueue.add(new Message(opcode, payload));
    } finally {
      lock.unlock();
    }
    runWriter();
    return true;
  }

  // Reader thread.

  private void run() {
    Response response = null;
    UpgradedStreams upgraded;
    try {
      response = executeHandshake();
      upgraded = upgrade(response);
    } catch (IOException e) {
      endWithFailure(e, response);
      return;
    }
    PermessageDeflate compression = handshake.compression(response);
    IOException canceled;
    lock.lock();
    try {
      streams = upgraded;
      writer = new WebSocketWriter(upgraded.sink(), random, settings.fragmentBytes(),
          compression != null ? new MessageDeflater(compression.clientNoContextTakeover()) : null);
      if (compression != null) {
        extensions = compression.headerValue();
      }
      canceled = pendingFailure;
    } finally {
      lock.unlock();
    }
    if (canceled != null) {
      // Canceled while the handshake finished: the socket never opens.
      endWithFailure(canceled, null);
      return;
    }
    long pingInterval = settings.pingIntervalMillis();
    if (pingInterval > 0L) {
      writerExecutor.scheduleAtFixedRate(
          this::writePing, pingInterval, pingInterval, TimeUnit.MILLISECONDS);
    }
    runWriter();
    WebSocketReader reader = new WebSocketReader(upgraded.source(), this,
        settings.maxMessageBytes(), peer, compression != null
            ? new MessageInflater(peer, !compression.serverNoContextTakeover()) : null);
    try {
      listener.onOpen(this, response);
      while (!receivedClose()) {
        reader.processNextFrame();
      }
      reader.close();
      awaitCloseSent();
    } catch (IOException e) {
      reader.close();
      endWithFailure(e, null);
      return;
    } catch (RuntimeException e) {
      reader.close();
      endWithFailure(new IOException("WebSocket to " + peer + " failed: the listener threw " + e, e),
          null);
      return;
    }
    endClosed();
  }

  private RealCall newHandshakeCall(CourierClient handshakeClient) {
    RealCall handshakeCall = (RealCall) handshakeClient.newCall(request);
    handshakeCall.forUpgrade("websocket", WebSocketHandshake::overHttp2);
    return handshakeCall;
  }

  /**
   * Makes the handshake call; if it got an HTTP/2 connection whose server did not enable the
   * extended CONNECT protocol, makes another over a fresh HTTP/1.1 connection.
   */
  private Response executeHandshake() throws IOException {
    RealCall first = call;
    try {
      return first.execute();
    } catch (ExtendedConnectUnavailableException e) {
      if (http1Client == null) {
        throw e;
      }
      first.eventListener().webSocketFallback(first, e.getMessage()
          + "; opening the WebSocket over HTTP/1.1 instead");
      RealCall fallback = newHandshakeCall(http1Client);
      lock.lock();
      try {
        if (pendingFailure != null) {
          throw pendingFailure; // Canceled meanwhile.
        }
        call = fallback;
      } finally {
        lock.unlock();
      }
      return fallback.execute();
    }
  }

  /** Checks the server's answer to the handshake and takes over the connection's streams. */
  private UpgradedStreams upgrade(Response response) throws IOException {
    RealCall handshakeCall = call;
    boolean overHttp2 = response.protocol().isMultiplexed();
    int expected = overHttp2 ? 200 : 101;
    if (response.code() != expected) {
      if (overHttp2 && response.code() >= 200 && response.code() < 300) {
        // The server opened the stream as a tunnel that will not be used: end it.
        UpgradedStreams unused = handshakeCall.upgradedStreams(response);
        unused.cancel();
        unused.close();
      } else {
        response.close();
      }
      String status = (response.code() + " " + response.message()).trim();
      throw new ProtocolException("Expected HTTP " + expected + " response from " + peer
          + (overHttp2 ? " to the extended CONNECT (RFC 8441) over " + response.protocol() : "")
          + " but was '" + status + "'");
    }
    UpgradedStreams upgraded = handshakeCall.upgradedStreams(response);
    String problem = handshake.problem(request, response);
    if (problem != null) {
      upgraded.cancel();
      upgraded.close();
      throw new ProtocolException("WebSocket handshake with " + peer + " failed: " + problem);
    }
    Protocol used = response.protocol() == Protocol.H2_PRIOR_KNOWLEDGE
        ? Protocol.HTTP_2 : response.protocol();
    protocol = used;
    handshakeCall.eventListener().webSocketUpgraded(handshakeCall, used);
    return upgraded;
  }

  private boolean receivedClose() {
    lock.lock();
    try {
      return receivedClose;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the writer sent our close frame, for at most the close timeout. */
  private void awaitCloseSent() throws IOException {
    lock.lock();
    try {
      long remainingNanos = TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMillis());
      while (!sentClose && pendingFailure == null) {
        if (remainingNanos <= 0L) {
          throw new SocketTimeoutException("WebSocket to " + peer + ": the close frame could not be "
              + "sent within " + settings.closeTimeoutMillis() + " ms");
        }
        remainingNanos = closeSent.awaitNanos(remainingNanos);
      }
      if (pendingFailure != null) {
        throw pendingFailure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted closing the WebSocket to " + peer);
    } finally {
      lock.unlock();
    }
  }

  private void endClosed() {
    int code;
    String reason;
    UpgradedStreams toClose;
    lock.lock();
    try {
      ended = true;
      code = receivedCloseCode;
      reason = receivedCloseReason;
      toClose = streams;
    } finally {
      lock.unlock();
    }
    writerExecutor.shutdownNow();
    toClose.close();
    releaseWriter();
    listener.onClosed(this, code, reason);
  }

  /**
   * Ends the socket with the first failure recorded, or {@code failure}: tells the server of a
   * protocol violation with a close frame, closes the streams and stops the writer.
   */
  private void endWithFailure(IOException failure, Response response) {
    IOException reported;
    UpgradedStreams toClose;
    WebSocketWriter closeWriter;
    lock.lock();
    try {
      reported = pendingFailure != null ? pendingFailure : describe(failure);
      ended = true;
      messageQueue.clear();
      pongQueue.clear();
      queueSize = 0L;
      toClose = streams;
      closeWriter = sentClose ? null : writer;
    } finally {
      lock.unlock();
    }
    writerExecutor.shutdownNow();
    if (reported instanceof WebSocketProtocolException && closeWriter != null) {
      try {
        closeWriter.writeClose(((WebSocketProtocolException) reported).closeCode(), null);
      } catch (IOException ignored) {
        // The socket is failing already; the close frame was a courtesy.
      }
    }
    if (toClose != null) {
      toClose.cancel();
      toClose.close();
    }
    releaseWriter();
    listener.onFailure(this, reported, response);
  }

  /** Frees the writer's compressor once the streams are closed, so no write holds its lock long. */
  private void releaseWriter() {
    WebSocketWriter toRelease;
    lock.lock();
    try {
      toRelease = writer;
    } finally {
      lock.unlock();
    }
    if (toRelease != null) {
      toRelease.close();
    }
  }

  private IOException describe(IOException failure) {
    if (failure instanceof ProtocolException || streams == null) {
      return failure; // Violations and handshake failures name the server already.
    }
    if (failure instanceof EOFException) {
      EOFException result = new EOFException("WebSocket server " + peer
          + " closed the connection without a close frame" + (failure.getMessage() != null
              ? " (" + failure.getMessage() + ")" : ""));
      result.initCause(failure);
      return result;
    }
    if (failure instanceof SocketTimeoutException) {
      SocketTimeoutException result =
          new SocketTimeoutException("WebSocket to " + peer + " timed out: " + failure.getMessage());
      result.initCause(failure);
      return result;
    }
    return new IOException("WebSocket to " + peer + " failed: " + failure, failure);
  }

  @Override
  public void onReadMessage(String text) {
    listener.onMessage(this, text);
  }

  @Override
  public void onReadMessage(ByteString bytes) {
    listener.onMessage(this, bytes);
  }

  @Override
  public void onReadPing(ByteString payload) {
    lock.lock();
    try {
      if (ended || enqueuedClose) {
        return; // No frames follow our close.
      }
      pongQueue.add(payload);
    } finally {
      lock.unlock();
    }
    runWriter();
  }

  @Override
  public void onReadPong(ByteString payload) {
    lock.lock();
    try {
      awaitingPong = false;
      receivedPongs++;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onReadClose(int code, String reason) {
    boolean answer;
    lock.lock();
    try {
      receivedClose = true;
      receivedCloseCode = code;
      receivedCloseReason = reason;
      answer = !enqueuedClose;
      if (answer) {
        enqueuedClose = true;
        // Echo the server's code, as RFC 6455 §5.5.1 suggests, when it is one that may be sent.
        int answerCode = WebSocketProtocol.closeCodeProblem(code) == null ? code : NORMAL_CLOSURE;
        messageQueue.add(new Close(answerCode, null));
      }
    } finally {
      lock.unlock();
    }
    if (answer) {
      runWriter();
    }
    listener.onClosing(this, code, reason);
  }

  // Writer thread and other threads.

  /** Has the writer thread send what is queued, if the socket is open. */
  private void runWriter() {
    lock.lock();
    try {
      if (writer == null || ended) {
        return;
      }
    } finally {
      lock.unlock();
    }
    try {
      writerExecutor.execute(this::writeQueued);
    } catch (RejectedExecutionException ignored) {
      // The socket ended meanwhile; nothing is sent after its end.
    }
  }

  /** Writes queued frames, pongs first, until the queue is empty or our close frame is sent. */
  private void writeQueued() {
    while (true) {
      ByteString pong;
      Object item = null;
      WebSocketWriter frameWriter;
      lock.lock();
      try {
        if (ended || pendingFailure != null || sentClose) {
          return;
        }
        frameWriter = writer;
        pong = pongQueue.poll();
        if (pong == null) {
          item = messageQueue.poll();
          if (item == null) {
            return;
          }
        }
      } finally {
        lock.unlock();
      }
      try {
        if (pong != null) {
          frameWriter.writeControl(WebSocketProtocol.OPCODE_PONG, pong);
        } else if (item instanceof Message message) {
          frameWriter.writeMessage(message.opcode(), message.payload());
          lock.lock();
          try {
            queueSize -= message.payload().size();
          } finally {
            lock.unlock();
          }
        } else {
          Close close = (Close) item;
          frameWriter.writeClose(close.code(), close.reason());
          closeFrameSent();
          return;
        }
      } catch (IOException e) {
        failAsync(describe(e));
        return;
      }
    }
  }

  private void closeFrameSent() {
    boolean awaitPeer;
    lock.lock();
    try {
      sentClose = true;
      awaitPeer = !receivedClose;
      closeSent.signalAll();
    } finally {
      lock.unlock();
    }
    if (awaitPeer) {
      try {
        writerExecutor.schedule(() -> failAsync(new SocketTimeoutException("WebSocket server "
                + peer + " did not answer the close frame within " + settings.closeTimeoutMillis()
                + " ms")), settings.closeTimeoutMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException ignored) {
        // The socket ended meanwhile.
      }
    }
  }

  private void writePing() {
    WebSocketWriter frameWriter;
    int pongs;
    boolean unanswered;
    lock.lock();
    try {
      if (ended || pendingFailure != null || sentClose || writer == null) {
        return;
      }
      frameWriter = writer;
      unanswered = awaitingPong;
      pongs = receivedPongs;
      awaitingPong = true;
    } finally {
      lock.unlock();
    }
    if (unanswered) {
      failAsync(new SocketTimeoutException("WebSocket server " + peer + " did not answer a ping "
          + "within " + settings.pingIntervalMillis() + " ms (after " + pongs
          + " successful ping/pongs)"));
      return;
    }
    try {
      frameWriter.writeControl(WebSocketProtocol.OPCODE_PING, NO_PAYLOAD);
    } catch (IOException e) {
      failAsync(describe(e));
    }
  }

  /**
   * Records {@code failure} unless the socket ended or failed already, and cancels the streams (or
   * the handshake call) so that the reader thread wakes and reports it.
   */
  private void failAsync(IOException failure) {
    UpgradedStreams toCancel;
    RealCall handshakeCall;
    lock.lock();
    try {
      if (ended || pendingFailure != null) {
        return;
      }
      pendingFailure = failure;
      toCancel = streams;
      handshakeCall = call;
      closeSent.signalAll();
    } finally {
      lock.unlock();
    }
    if (toCancel != null) {
      toCancel.cancel();
    } else {
      handshakeCall.cancel();
    }
  }

  private record Message(int opcode, ByteString payload) {}

  private record Close(int code, String reason) {}
}
