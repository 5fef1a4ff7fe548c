package dev.courier.examples;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.chain.CourierClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import okio.ByteString;

/**
 * Runs {@code courier ws://...} and {@code courier wss://...}: sends each line of standard input
 * as a text message and writes each message received to standard output (text followed by a line
 * break, binary as its bytes). At the end of standard input it closes with 1000 and waits for the
 * server's close; a server that closes first ends the session too. With {@code -v} the handshake
 * (through the client's call trace), the extensions agreed, the protocol the frames travel over
 * (HTTP/1.1 upgrade or HTTP/2 extended CONNECT) and the close go to standard error.
 */
final class WebSocketSession {
  /** How long a line waits between tries while the socket's outgoing queue is full. */
  private static final long FULL_QUEUE_RETRY_MILLIS = 10;

  private final CliConsole console;
  private final boolean verbose;
  private final PrintStream trace;
  private final ReentrantLock outputLock = new ReentrantLock();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private volatile IOException outputFailure;

  WebSocketSession(CliConsole console, boolean verbose) {
    this.console = console;
    this.verbose = verbose;
    this.trace = console.err;
  }

  /**
   * Opens a socket for {@code request}, runs it until it ends and returns the exit code: 0 after
   * a close with 1000 (or 1001) both ways, 1 after another close code, else the failure's code.
   */
  int run(CourierClient client, Request request, String host) throws InterruptedException {
    WebSocket webSocket = client.newWebSocket(request, new Listener(host));
    Thread input = new Thread(() -> sendLines(webSocket), "courier ws stdin");
    input.setDaemon(true);
    input.start();
    ended.await();
    try {
      return exitCode.get();
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Names how a socket's frames travel: "HTTP/1.1 upgrade" for a connection of its own switched
   * with Upgrade (RFC 6455), "HTTP/2 extended CONNECT" for a stream of an HTTP/2 connection (RFC
   * 8441).
   */
  static String transport(Protocol protocol) {
    return protocol.isMultiplexed() ? "HTTP/2 extended CONNECT" : "HTTP/1.1 upgrade";
  }

  private void sendLines(WebSocket webSocket) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(console.in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        // A full queue is back-pressure: wait for it to drain rather than drop the line.
        while (!webSocket.send(line)) {
          if (ended.await(FULL_QUEUE_RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      }
    } catch (IOException e) {
      note("could not read standard input: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (webSocket.close(WebSocket.NORMAL_CLOSURE, null) && verbose) {
      note("end of input: closing with 1000");
    }
  }

  private void note(String message) {
    if (verbose) {
      outputLock.lock();
      try {
        trace.println("* " + message);
      } finally {
        outputLock.unlock();
      }
    }
  }

  private void write(byte[] bytes, boolean lineBreak) {
    outputLock.lock();
    try {
      OutputStream out = console.out;
      out.write(bytes);
      if (lineBreak) {
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      outputFailure = e;
    } finally {
      outputLock.unlock();
    }
  }

  private final class Listener extends WebSocketListener {
    private final String host;

    Listener(String host) {
      this.host = host;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      String extensions = webSocket.extensions();
      note("WebSocket open; extensions: " + (extensions.isEmpty() ? "none" : extensions)
          + "; over " + transport(webSocket.protocol()));
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      write(text.getBytes(StandardCharsets.UTF_8), true);
      if (outputFailure != null) {
        webSocket.cancel();
      }
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      write(bytes.toByteArray(), false);
      if (outputFailure != null) {
        webSocket.cancel();
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      note("server closing with " + code + (reason.isEmpty() ? "" : " " + reason));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      note("WebSocket closed");
      boolean normal = code == WebSocket.NORMAL_CLOSURE || code == WebSocket.GOING_AWAY;
      if (!normal) {
        console.err.println("courier: the server closed the WebSocket with " + code
            + (reason.isEmpty() ? "" : " (" + reason + ")"));
      }
      exitCode.complete(normal ? ExitCode.OK : ExitCode.FAILURE);
      ended.countDown();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      Throwable reported = outputFailure != null ? new ExitCode.OutputFailure(outputFailure) : failure;
      ExitCode exit = ExitCode.of(reported, host);
      console.err.println("courier: " + exit.message);
      exitCode.complete(exit.code);
      ended.countDown();
    }
  }
}
