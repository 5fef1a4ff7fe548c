package dev.courier.chain.internal;

import dev.courier.Address;
import dev.courier.ConnectionShutdownException;
import dev.courier.EventListener;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.StreamResetException;
import dev.courier.chain.internal.ExchangeFailures.Phase;
import dev.courier.pool.CloseReason;
import dev.courier.pool.internal.RealConnection;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.UpgradedStreams;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Sink;
import okio.Source;

/**
 * Runs one request/response exchange on a connection: wraps the codec, reports the request and
 * response events, counts body bytes, and when both bodies are done gives the connection back
 * through the call.
 *
 * <p>Every I/O failure of the codec, whatever its protocol, passes through here and leaves with a
 * message naming the host:port, the phase and the protocol, its class unchanged (see {@link
 * ExchangeFailures}). At most {@value #MAX_INTERIM_RESPONSES} interim (1xx) responses may precede
 * the final one, far more than servers send (a {@code 100 Continue}, a few {@code 103 Early
 * Hints}), so that a server sending {@code 102 Processing} forever fails the call with a {@link
 * ProtocolException} instead of holding it.
 *
 * <p>Used from the thread running the call, except {@link #cancel()}, which any thread may call.
 * The open/closed state of the two bodies is guarded by the call's lock.
 */
final class Exchange implements Response.TrailersSource {
  /** The most interim (1xx) responses read before the final one; one more fails the exchange. */
  static final int MAX_INTERIM_RESPONSES = 16;

  private final RealCall call;
  private final Address address;
  private final EventListener eventListener;
  private final RealConnection connection;
  private final ExchangeCodec codec;
  private final boolean freshConnection;

  // Guarded by the call's lock.
  boolean requestBodyOpen = true;
  boolean responseBodyOpen = true;

  // Confined to the thread running the call.
  private boolean requestSendStarted;
  private boolean requestBodyStarted;
  private boolean responseHeadersStarted;
  private int interimResponses;
  // Set and read on the call's thread, by the call-server and connect steps.
  private Response builtHead;
  private Response builtResponse;
  /** The last failure this exchange described, so that it is not described twice. */
  private volatile IOException describedFailure;
  private volatile boolean duplex;
  private boolean extendedConnect;
  private volatile boolean hasFailure;

  Exchange(RealCall call, Address address, EventListener eventListener, RealConnection connection,
      ExchangeCodec codec, boolean freshConnection) {
    this.call = call;
    this.address = address;
    this.eventListener = eventListener;
    this.connection = connection;
    this.codec = codec;
    this.freshConnection = freshConnection;
  }

  RealConnection connection() {
    return connection;
  }

  RealCall call() {
    return call;
  }

  EventListener eventListener() {
    return eventListener;
  }

  /** Returns true if the connection was opened for this call, rather than taken from the pool. */
  boolean isFreshConnection() {
    return freshConnection;
  }

  /** Returns true once writing the request headers began. */
  boolean requestSendStarted() {
    return requestSendStarted;
  }

  /** Returns true once writing the request body began; a one-shot body is then spent. */
  boolean requestBodyStarted() {
    return requestBodyStarted;
  }

  boolean isDuplex() {
    return duplex;
  }

  boolean hasFailure() {
    return hasFailure;
  }

  boolean isMultiplexed() {
    return connection.protocolConnection().isMultiplexed();
  }

  /** Returns the host this exchange talks to, for messages. */
  String host() {
    return address.host();
  }

  /** Returns the host and port this exchange talks to, for messages, like {@code example.com:443}. */
  String peer() {
    return ExchangeFailures.peer(address.host(), address.port());
  }

  /**
   * Returns true if {@code url} has the host and port this exchange's connection was found for
   * (which, for a coalesced HTTP/2 connection, may differ from the connection's own address).
   */
  boolean serves(HttpUrl url) {
    return url.port() == address.port() && url.host().equals(address.host());
  }

  void writeRequestHeaders(Request request) throws IOException {
    requestSendStarted = true;
    try {
      eventListener.requestHeadersStart(call);
      codec.writeRequestHeaders(request);
      eventListener.requestHeadersEnd(call, request);
    } catch (IOException e) {
      throw requestFailed(e, Phase.WRITING_REQUEST_HEADERS);
    }
  }

  /**
   * Writes {@code request} as an extended CONNECT for {@code protocol} (RFC 8441) in place of
   * {@link #writeRequestHeaders}.
   *
   * @throws ExtendedConnectUnavailableException having written nothing, if the connection cannot
   *     carry it (not HTTP/2, or the server did not enable the extended CONNECT protocol)
   */
  void writeExtendedConnectHeaders(Request request, String protocol) throws IOException {
    boolean written;
    try {
      eventListener.requestHeadersStart(call);
      written = codec.writeExtendedConnectHeaders(request, protocol);
    } catch (IOException e) {
      requestSendStarted = true;
      throw requestFailed(e, Phase.WRITING_REQUEST_HEADERS);
    }
    if (!written) {
      ExtendedConnectUnavailableException unavailable = new ExtendedConnectUnavailableException(
          "the " + connection.protocolConnection().protocol() + " connection to "
              + peer()
              + " does not allow the extended CONNECT protocol (RFC 8441): the server's SETTINGS "
              + "did not enable it");
      eventListener.requestFailed(call, unavailable);
      throw unavailable;
    }
    requestSendStarted = true;
    eventListener.requestHeadersEnd(call, request);
    extendedConnect = true;
  }

  /** Returns true if this exchange opened its stream with an extended CONNECT. */
  boolean isExtendedConnect() {
    return extendedConnect;
  }

  /** Returns the sink for {@code request}'s body, which reports its end and byte count. */
  RequestBodySink createRequestBody(Request request, boolean duplex) throws IOException {
    this.duplex = duplex;
    requestBodyStarted = true;
    try {
      long contentLength = request.body().contentLength();
      eventListener.requestBodyStart(call);
      Sink rawSink = codec.createRequestBody(request, contentLength);
      return new RequestBodySink(this, rawSink, contentLength);
    } catch (IOException e) {
      throw requestFailed(e, Phase.WRITING_REQUEST_BODY);
    }
  }

  void flushRequest() throws IOException {
    try {
      codec.flushRequest();
    } catch (IOException e) {
      throw requestFailed(e, requestWritePhase());
    }
  }

  void finishRequest() throws IOException {
    try {
      codec.finishRequest();
    } catch (IOException e) {
      throw requestFailed(e, requestWritePhase());
    }
  }

  /** Records that the request has no body (or will not send the one it has). */
  void noRequestBody() {
    call.messageDone(this, true, false, null);
  }

  /**
   * Reads the next response head; null for {@code 100 Continue} when {@code expectContinue}.
   *
   * @throws ProtocolException if more than {@value #MAX_INTERIM_RESPONSES} interim responses came
   */
  Response.Builder readResponseHeaders(boolean expectContinue) throws IOException {
    if (!responseHeadersStarted) {
      responseHeadersStarted = true;
      eventListener.responseHeadersStart(call);
    }
    try {
      Response.Builder result = codec.readResponseHeaders(expectContinue);
      if (result != null && isInterim(result.code())
          && ++interimResponses > MAX_INTERIM_RESPONSES) {
        throw new ProtocolException("more than " + MAX_INTERIM_RESPONSES
            + " interim (1xx) responses from " + peer() + " before the final response");
      }
      return result;
    } catch (IOException e) {
      throw responseFailed(e);
    }
  }

  void responseHeadersEnd(Response response) {
    eventListener.responseHeadersEnd(call, response);
  }

  /**
   * Records the response the call-server step returns and {@code head}, the same response
   * without its body, so that the connect step need not build that copy again.
   */
  void responseBuilt(Response head, Response response) {
    this.builtHead = head;
    this.builtResponse = response;
  }

  /**
   * Returns {@code response} without its body if it is the response the call-server step built
   * (no network interceptor replaced it), or null.
   */
  Response bodilessCopyOf(Response response) {
    return response == builtResponse ? builtHead : null;
  }

  /**
   * Returns true if {@code response} is the response the call-server step built with its head
   * already recorded as its network response, so that the connect step returns it as it is.
   */
  boolean recordedAsNetworkResponse(Response response) {
    return response == builtResponse && response.networkResponse() == builtHead;
  }

  /** Returns the body of {@code response}, streaming from the codec. */
  ResponseBody openResponseBody(Response response) throws IOException {
    try {
      String contentType = response.header("Content-Type");
      long contentLength = codec.reportedContentLength(response);
      Source rawSource = codec.openResponseBodySource(response);
      ResponseBodySource source = new ResponseBodySource(this, rawSource, contentLength);
      return StreamedResponseBody.of(source, contentType, contentLength);
    } catch (IOException e) {
      throw responseFailed(e);
    }
  }

  /** Returns the trailers of the response: this exchange is its responses' trailers source. */
  @Override
  public Headers get() throws IOException {
    try {
      return codec.trailers();
    } catch (IOException e) {
      throw describe(e, Phase.READING_RESPONSE_BODY);
    }
  }

  /**
   * Returns {@code failure} described with this exchange's host:port, protocol and {@code phase}
   * (see {@link ExchangeFailures}); a failure described already is returned as it is.
   */
  IOException describe(IOException failure, Phase phase) {
    if (failure == describedFailure) {
      return failure;
    }
    Protocol protocol = connection.protocolConnection().protocol();
    IOException result = ExchangeFailures.describe(failure, peer(),
        protocol == Protocol.H2_PRIOR_KNOWLEDGE ? "h2c" : protocol.toString(), phase,
        call.isCanceled());
    describedFailure = result;
    return result;
  }

  /** Returns the phase a failure to flush or finish the request happened in. */
  private Phase requestWritePhase() {
    return requestBodyStarted ? Phase.WRITING_REQUEST_BODY : Phase.WRITING_REQUEST_HEADERS;
  }

  private IOException requestFailed(IOException e, Phase phase) {
    IOException described = describe(e, phase);
    eventListener.requestFailed(call, described);
    trackFailure(described);
    return described;
  }

  private IOException responseFailed(IOException e) {
    IOException described = describe(e, Phase.READING_RESPONSE_HEADERS);
    eventListener.responseFailed(call, described);
    trackFailure(described);
    return described;
  }

  /** Returns true for interim responses, which precede the final one; 101 ends the exchange. */
  private static boolean isInterim(int code) {
    return code >= 100 && code < 200 && code != 101;
  }

  /**
   * Takes over the codec's streams after {@code response} switched protocols. An HTTP/1.1
   * connection takes no more exchanges, and closing the streams ends this exchange and so
   * releases the connection, which the pool then closes; on a multiplexed connection only this
   * exchange's stream is given over, and closing the streams ends that stream alone. Failures of
   * the streams are not described here: the protocol above names them.
   */
  UpgradedStreams upgradedStreams(Response response) throws IOException {
    if (!isMultiplexed()) {
      // HTTP/1.1 after 101 carries the other protocol to its end; a multiplexed connection gave
      // the protocol one stream and carries on with the others.
      connection.noNewExchanges(CloseReason.UPGRADED);
    }
    UpgradedStreams streams;
    try {
      streams = codec.upgradedStreams(response);
    } catch (IOException e) {
      throw responseFailed(e);
    }
    return new UpgradedStreams() {
      private final java.util.concurrent.atomic.AtomicBoolean closed =
          new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public okio.BufferedSource source() {
        return streams.source();
      }

      @Override
      public okio.BufferedSink sink() {
        return streams.sink();
      }

      @Override
      public void cancel() {
        streams.cancel();
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          streams.close();
          bodyComplete(-1L, true, true, null);
        }
      }
    };
  }

  /** Stops the connection from carrying exchanges after this one, for {@code reason}. */
  void noNewExchangesOnConnection(CloseReason reason) {
    connection.noNewExchanges(reason);
  }

  /** Cancels the exchange, promptly failing any thread blocked in it. Any thread may call this. */
  void cancel() {
    codec.cancel();
  }

  /**
   * Ends the exchange at once, whatever state its bodies are in, and gives back the connection.
   * For when the chain failed or abandoned a response without closing it.
   */
  void detachWithViolence() {
    codec.cancel();
    if (!isMultiplexed()) {
      connection.noNewExchanges();
    }
    call.messageDone(this, true, true, null);
  }

  /**
   * Reports that a body finished, normally or with {@code failure}, and returns the exception to
   * throw (the call's timeout may replace it).
   */
  IOException bodyComplete(long byteCount, boolean responseDone, boolean requestDone,
      IOException failure) {
    if (failure != null) {
      failure = describe(failure,
          responseDone ? Phase.READING_RESPONSE_BODY : Phase.WRITING_REQUEST_BODY);
      trackFailure(failure);
    }
    if (requestDone) {
      if (failure != null) {
        eventListener.requestFailed(call, failure);
      } else {
        eventListener.requestBodyEnd(call, byteCount);
      }
    }
    if (responseDone) {
      if (failure != null) {
        eventListener.responseFailed(call, failure);
      } else {
        eventListener.responseBodyEnd(call, byteCount);
      }
    }
    return call.messageDone(this, requestDone, responseDone, failure);
  }

  void responseBodyStart() {
    eventListener.responseBodyStart(call);
  }

  private void trackFailure(IOException failure) {
    hasFailure = true;
    if (isMultiplexed()) {
      // A reset or canceled stream fails one exchange and the connection carries on; one that is
      // shutting down already takes no new exchanges.
      if (failure instanceof StreamResetException || failure instanceof ConnectionShutdownException
          || call.isCanceled()) {
        return;
      }
    }
    // An end of stream mid-exchange means the server closed the connection.
    connection.noNewExchanges(
        failure instanceof EOFException ? CloseReason.CLOSED_BY_PEER : CloseReason.ERROR);
  }
}
