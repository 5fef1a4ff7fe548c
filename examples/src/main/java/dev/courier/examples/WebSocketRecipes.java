package dev.courier.examples;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.chain.CourierClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import okio.ByteString;

/**
 * The code of docs/websockets.md. Each recipe stands between a {@code // recipe:} line and a
 * {@code // end} line; WebSocketRecipesTest runs every one against a local server and checks that
 * the page shows exactly this code.
 */
final class WebSocketRecipes {
  private final CourierClient client;

  WebSocketRecipes(CourierClient client) {
    this.client = client;
  }

  CompletableFuture<String> echo(String url) {
    // recipe: echo
    CompletableFuture<String> reply = new CompletableFuture<>();
    Request request = new Request.Builder().url(url).build(); // ws://, wss://, http:// or https://
    WebSocket webSocket = client.newWebSocket(request, new WebSocketListener() {
      @Override public void onOpen(WebSocket webSocket, Response response) {
        webSocket.send("Hello, WebSocket!");
      }

      @Override public void onMessage(WebSocket webSocket, String text) {
        reply.complete(text);
        webSocket.close(WebSocket.NORMAL_CLOSURE, "got my answer");
      }

      @Override public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        reply.completeExceptionally(failure);
      }
    });
    // end
    return reply;
  }

  static int sendUntilFull(WebSocket webSocket, Iterator<ByteString> chunks) {
    // recipe: back-pressure
    int queued = 0;
    while (chunks.hasNext()) {
      ByteString chunk = chunks.next();
      if (!webSocket.send(chunk)) {
        // The outgoing queue is full (or the socket is closing): keep the chunk and resume when
        // the peer acknowledges progress, instead of buffering without bound.
        break;
      }
      queued++;
    }
    // end
    return queued;
  }

  static CourierClient configured() {
    // recipe: configure
    CourierClient client = CourierClient.builder()
        .pingInterval(Duration.ofSeconds(30))         // ping; fail if the last ping went unanswered
        .webSocketCloseTimeout(Duration.ofSeconds(5)) // wait this long for the server's close frame
        .webSocketMaxMessageBytes(1024 * 1024)       // refuse larger messages with close code 1009
        .webSocketMaxQueueBytes(4 * 1024 * 1024)     // send() returns false beyond this
        .webSocketFragmentBytes(16 * 1024)           // send longer messages in fragments
        .build();
    // end
    return client;
  }

  BlockingQueue<String> subprotocol(String url) {
    // recipe: subprotocol
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Request request = new Request.Builder()
        .url(url)
        .header("Sec-WebSocket-Protocol", "chat.v2, chat.v1")
        .build();
    client.newWebSocket(request, new WebSocketListener() {
      @Override public void onOpen(WebSocket webSocket, Response response) {
        events.add("speaking " + response.header("Sec-WebSocket-Protocol"));
        webSocket.close(WebSocket.GOING_AWAY, null);
      }

      @Override public void onClosing(WebSocket webSocket, int code, String reason) {
        events.add("server closing: " + code);
      }

      @Override public void onClosed(WebSocket webSocket, int code, String reason) {
        events.add("closed");
      }

      @Override public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        events.add("failed: " + failure.getMessage());
      }
    });
    // end
    return events;
  }

  CompletableFuture<String> compression(String url) {
    // recipe: compression
    CompletableFuture<String> agreed = new CompletableFuture<>();
    client.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
      @Override public void onOpen(WebSocket webSocket, Response response) {
        // "permessage-deflate", perhaps with parameters, when the server compresses; "" if not.
        agreed.complete(webSocket.extensions());
        webSocket.close(WebSocket.NORMAL_CLOSURE, null);
      }

      @Override public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        agreed.completeExceptionally(failure);
      }
    });
    // end
    return agreed;
  }
}
