package dev.courier.chain.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.StreamResetException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Rewrites the I/O failures of an exchange so that the message says what happened, to which
 * host:port, in which phase and over which protocol, such as {@code connection reset by
 * 127.0.0.1:8443 while reading response headers (h2)}, for every codec alike.
 *
 * <p>The rewritten exception has exactly the original's class, so that code deciding by type
 * (retries, callers catching {@link SocketTimeoutException}) decides as before; the original is
 * its cause, and the original's suppressed exceptions are carried over. A class it cannot rebuild
 * (a codec's own subtype) is returned unchanged: its type says more than a message would.
 */
final class ExchangeFailures {
  /** The part of an exchange in which a failure happened, as it reads in a message. */
  enum Phase {
    CONNECTING("connecting", "timed out connecting to "),
    WRITING_REQUEST_HEADERS("writing request headers", "timed out writing to "),
    WRITING_REQUEST_BODY("writing request body", "timed out writing to "),
    READING_RESPONSE_HEADERS("reading response headers", "timed out waiting for "),
    READING_RESPONSE_BODY("reading response body", "timed out waiting for ");

    final String description;
    /** How a timeout in this phase reads, before the peer's name. */
    final String timedOut;

    Phase(String description, String timedOut) {
      this.description = description;
      this.timedOut = timedOut;
    }
  }

  private static final String RESET_PREFIX = "stream was reset by ";

  private ExchangeFailures() {}

  /** Returns {@code host:port} as messages name a peer, with an IPv6 literal in brackets. */
  static String peer(String host, int port) {
    return host.indexOf(':') != -1 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * Returns {@code failure} with a message naming {@code peer}, {@code phase} and {@code protocol}
   * and the same class, or {@code failure} itself if its class cannot be rebuilt.
   *
   * @param canceled true if the call was canceled, which explains a closed socket or stream
   */
  static IOException describe(IOException failure, String peer, String protocol, Phase phase,
      boolean canceled) {
    String context = " while " + phase.description + " (" + protocol + ")";
    if (failure.getClass() == StreamResetException.class) {
      return describeReset((StreamResetException) failure, peer + context);
    }
    IOException result = sameClass(failure, whatHappened(failure, peer, phase, canceled) + context);
    if (result == null) {
      return failure;
    }
    result.initCause(failure);
    for (Throwable suppressed : failure.getSuppressed()) {
      result.addSuppressed(suppressed);
    }
    return result;
  }

  /** Returns the start of the message: what went wrong, naming the peer. */
  private static String whatHappened(IOException failure, String peer, Phase phase,
      boolean canceled) {
    String message = failure.getMessage();
    if (canceled) {
      return "canceled call to " + peer;
    }
    if (failure instanceof SocketTimeoutException || (failure.getClass() == InterruptedIOException.class
        && (message == null || message.equals("timeout")))) {
      return phase.timedOut + peer;
    }
    if (failure instanceof EOFException) {
      return message == null || message.isEmpty()
          ? "unexpected end of stream from " + peer
          : "unexpected end of stream from " + peer + ": " + message;
    }
    if (message == null || message.isEmpty()) {
      return failure.getClass().getSimpleName() + " on " + peer;
    }
    if (failure instanceof SocketException || failure instanceof SSLException) {
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("reset")) {
        return "connection reset by " + peer;
      }
      if (lower.contains("broken pipe")) {
        return "connection closed by " + peer + " (broken pipe)";
      }
      if (lower.contains("socket closed") || lower.contains("socket is closed")) {
        return "connection to " + peer + " was closed";
      }
    }
    return message.contains(peer) ? message : message + " (" + peer + ")";
  }

  /** Returns a new exception of exactly {@code failure}'s class, or null if that is not possible. */
  private static IOException sameClass(IOException failure, String message) {
    Class<?> type = failure.getClass();
    if (type == IOException.class) {
      return new IOException(message);
    }
    if (type == SocketTimeoutException.class || type == InterruptedIOException.class) {
      InterruptedIOException result = type == SocketTimeoutException.class
          ? new SocketTimeoutException(message) : new InterruptedIOException(message);
      result.bytesTransferred = ((InterruptedIOException) failure).bytesTransferred;
      return result;
    }
    if (type == SocketException.class) {
      return new SocketException(message);
    }
    if (type == EOFException.class) {
      return new EOFException(message);
    }
    if (type == ProtocolException.class) {
      return new ProtocolException(message);
    }
    if (type == ConnectionShutdownException.class) {
      return new ConnectionShutdownException(message);
    }
    if (type == SSLException.class) {
      return new SSLException(message);
    }
    if (type == SSLProtocolException.class) {
      return new SSLProtocolException(message);
    }
    if (type == SSLHandshakeException.class) {
      return new SSLHandshakeException(message);
    }
    return null;
  }

  /**
   * Rebuilds a stream reset with the context where its message names the host, keeping the error
   * code; returns the original if its message is not in the expected form.
   */
  private static IOException describeReset(StreamResetException failure, String peerAndContext) {
    String message = failure.getMessage();
    int nameStart = message == null ? -1 : message.lastIndexOf(": ");
    int nameEnd = message == null ? -1 : message.lastIndexOf(" (0x");
    if (message == null || !message.startsWith(RESET_PREFIX) || nameStart == -1
        || nameEnd < nameStart) {
      return failure;
    }
    String errorName = message.substring(nameStart + 2, nameEnd);
    StreamResetException result = new StreamResetException(failure.errorCode(), errorName,
        peerAndContext);
    result.initCause(failure);
    for (Throwable suppressed : failure.getSuppressed()) {
      result.addSuppressed(suppressed);
    }
    return result;
  }
}
