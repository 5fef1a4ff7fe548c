package dev.courier.chain.internal;

import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.internal.ArrayWritingBody;
import dev.courier.pool.CloseReason;
import java.io.IOException;
import java.net.ProtocolException;
import okio.BufferedSink;
import okio.Okio;

/**
 * Writes the request to the network and reads the response head: the last interceptor of the
 * chain. Handles {@code Expect: 100-continue}, duplex bodies, informational responses and
 * {@code Connection: close}.
 */
final class CallServerInterceptor implements BuiltInInterceptor {
  // True if nothing between this step and the bridge sees the response (no cache, no network
  // interceptor): this step then builds the response the bridge returns, with the bridge's request
  // and the head as its network response, so that no step above needs to copy it.
  private final boolean answersTheBridge;

  CallServerInterceptor(boolean answersTheBridge) {
    this.answersTheBridge = answersTheBridge;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    RealInterceptorChain realChain = (RealInterceptorChain) chain;
    Exchange exchange = realChain.exchange();
    Request request = realChain.request();
    RequestBody body = request.body();
    long sentRequestMillis = System.currentTimeMillis();

    RealCall call = exchange.call();
    if (call.isForUpgrade() && exchange.isMultiplexed()) {
      // No Upgrade over HTTP/2: the switch asks for a stream of its own (RFC 8441).
      String protocol = call.upgradeProtocol();
      if (protocol == null) {
        throw new ExtendedConnectUnavailableException("the call to " + exchange.peer()
            + " asks to switch protocols, which an HTTP/2 connection can do only with an extended "
            + "CONNECT, and the call names no protocol for one");
      }
      request = call.extendedConnectRequest(request);
      exchange.writeExtendedConnectHeaders(request, protocol);
      body = null;
    } else {
      exchange.writeRequestHeaders(request);
    }

    Response.Builder responseBuilder = null;
    if (body != null && permitsRequestBody(request.method())) {
      if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
        // Ask first: the server may refuse the body with a final response instead of 100.
        exchange.flushRequest();
        responseBuilder = readSkippingInformational(exchange, true);
      }
      if (responseBuilder == null) {
        if (body.isDuplex()) {
          // The body writes on its own schedule while the response is read, so hand it the sink.
          exchange.flushRequest();
          BufferedSink sink = Okio.buffer(exchange.createRequestBody(request, true));
          body.writeTo(sink);
        } else {
          RequestBodySink bodySink = exchange.createRequestBody(request, false);
          BufferedSink sink = Okio.buffer(bodySink);
          if (body instanceof ArrayWritingBody && bodySink.writesArrays()) {
            // Courier's file and array bodies: large writes go from their arrays to the socket.
            ((ArrayWritingBody) body).writeTo(sink, bodySink);
          } else {
            body.writeTo(sink);
          }
          sink.close();
        }
      } else {
        exchange.noRequestBody();
        if (!exchange.isMultiplexed()) {
          // The unsent body would be read as the next request; this connection is done.
          exchange.noNewExchangesOnConnection(CloseReason.ERROR);
        }
      }
    } else {
      exchange.noRequestBody();
    }
    if (body == null || !body.isDuplex()) {
      exchange.finishRequest();
    }

    if (responseBuilder == null) {
      responseBuilder = readSkippingInformational(exchange, false);
    }
    // One builder serves both the head seen by the listener and the response with its body; the
    // head also serves as the network response the connect step records.
    Response head = responseBuilder
        .request(request)
        .handshake(exchange.connection().handshake())
        .connection(exchange.connection())
        .sentRequestAtMillis(sentRequestMillis)
        .receivedResponseAtMillis(System.currentTimeMillis())
        .trailers(exchange)
        .build();
    exchange.responseHeadersEnd(head);

    if ((head.code() == 101 && call.isForUpgrade())
        || (exchange.isExtendedConnect() && head.code() >= 200 && head.code() < 300)) {
      // The connection (or for HTTP/2 the stream) now carries another protocol; the caller takes
      // over its streams.
      return head.newBuilder()
          .body(ResponseBody.create(new okio.Buffer(), null, 0L))
          .trailers(Response.TrailersSource.EMPTY)
          .build();
    }
    responseBuilder.body(exchange.openResponseBody(head));
    Request userRequest = realChain.userRequest();
    if (answersTheBridge && userRequest != null) {
      responseBuilder.request(userRequest).networkResponse(head);
    }
    Response response = responseBuilder.build();
    exchange.responseBuilt(head, response);

    if ("close".equalsIgnoreCase(head.header("Connection"))) {
      exchange.noNewExchangesOnConnection(CloseReason.CLOSED_BY_PEER);
    } else if ("close".equalsIgnoreCase(request.header("Connection"))) {
      exchange.noNewExchangesOnConnection(CloseReason.EVICTED_BY_USER);
    }
    int code = response.code();
    if (code == 204 || code == 205) {
      // The codec frames these as bodiless, so look at what the server claimed to send.
      long contentLength = Math.max(response.body().contentLength(), headerContentLength(head));
      if (contentLength > 0L) {
        throw new ProtocolException("HTTP " + code + " from " + request.url().host()
            + " had non-zero Content-Length: " + contentLength);
      }
    }
    return response;
  }

  /**
   * Reads response heads until a final one (or, when {@code expectContinue}, a 100 Continue, which
   * returns null). 101 Switching Protocols is final for a call made to upgrade (a WebSocket's) and
   * refused for any other.
   */
  private static Response.Builder readSkippingInformational(Exchange exchange,
      boolean expectContinue) throws IOException {
    while (true) {
      Response.Builder builder = exchange.readResponseHeaders(expectContinue);
      if (builder == null) {
        return null;
      }
      int code = builder.code();
      if (code == 101 && exchange.call().isForUpgrade()) {
        return builder;
      }
      if (code == 101) {
        throw new ProtocolException("Unexpected 101 Switching Protocols from "
            + exchange.connection().route().address().host() + ": the request did not ask to switch protocols");
      }
      if (code >= 200 || code < 100) {
        return builder;
      }
      // 100 (unasked for), 102 Processing, 103 Early Hints: the final response follows.
    }
  }

  /** Returns the Content-Length header's value, or -1 if it is absent or not a number. */
  private static long headerContentLength(Response response) {
    String value = response.header("Content-Length");
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1L;
    }
    long result = 0L;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1L;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }

  static boolean permitsRequestBody(String method) {
    return !(method.equals("GET") || method.equals("HEAD"));
  }

  @Override
  public String toString() {
    return "CallServerInterceptor";
  }
}
