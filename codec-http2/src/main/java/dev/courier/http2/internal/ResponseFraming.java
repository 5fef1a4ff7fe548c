package dev.courier.http2.internal;

/**
 * Checks how one stream's response is framed (RFC 9113 §8.1): at most
 * {@link #MAX_INTERIM_RESPONSES} interim heads, and DATA that adds up to the final head's
 * content-length, none at all for a response that has no content (to HEAD, 204, 304). Each check
 * returns why the response is malformed, or null; the reader then resets the stream. Guarded by
 * the connection's lock.
 */
final class ResponseFraming {
  /**
   * The most interim (1xx) responses accepted on one stream, as for HTTP/1; beyond this a peer is
   * taken to be stalling a call that may have no call timeout.
   */
  static final int MAX_INTERIM_RESPONSES = 16;

  /** True for a HEAD request, whose response has no content whatever its content-length says. */
  private final boolean headRequest;
  private int interimHeads;
  /** The content-length of the final head, 0 if the response has no content, -1 if unknown. */
  private long expectedContentLength = -1;
  private long contentReceived;
  /** Which response has no content, such as "a 204 response"; null if it may have content. */
  private String noContent;

  ResponseFraming(boolean headRequest) {
    this.headRequest = headRequest;
  }

  /** Returns true if another interim (1xx) head would exceed {@link #MAX_INTERIM_RESPONSES}. */
  boolean interimLimitReached() {
    return interimHeads >= MAX_INTERIM_RESPONSES;
  }

  /** Returns why a final {@code head} is malformed: one that ends the stream must not promise content. */
  String checkFinalHead(ResponseHeaders.Head head, boolean endStream) {
    if (endStream && !hasNoContent(head.code()) && head.contentLength() > 0) {
      return "content-length is " + head.contentLength() + " but the stream ended without DATA";
    }
    return null;
  }

  /** Records a head that was accepted, interim or final. */
  void headReceived(ResponseHeaders.Head head) {
    if (head.code() < 200) {
      interimHeads++;
    } else if (hasNoContent(head.code())) {
      noContent = headRequest ? "the response to HEAD" : "a " + head.code() + " response";
      expectedContentLength = 0;
    } else {
      expectedContentLength = head.contentLength();
    }
  }

  /**
   * Returns why {@code dataLength} more body bytes, ending the stream if {@code endStream}, make
   * the response malformed. Excess is caught as soon as it arrives.
   */
  String checkContent(long dataLength, boolean endStream) {
    if (expectedContentLength == -1) {
      return null;
    }
    long total = contentReceived + dataLength;
    if (total > expectedContentLength) {
      return noContent != null
          ? "DATA on " + noContent + ", which has no content"
          : "DATA adds up to " + total + " bytes, more than the content-length of " + expectedContentLength;
    }
    if (endStream && total < expectedContentLength) {
      return "the stream ended after " + total + " of the content-length's " + expectedContentLength + " bytes";
    }
    return null;
  }

  /** Returns why the end of the stream now, by trailers, makes the response malformed. */
  String checkEnd() {
    return checkContent(0, true);
  }

  /** Records body bytes that were accepted. */
  void contentReceived(long byteCount) {
    contentReceived += byteCount;
  }

  /** Returns true if a response with {@code code} to this stream's request has no content. */
  private boolean hasNoContent(int code) {
    return headRequest || code == 204 || code == 304;
  }
}
