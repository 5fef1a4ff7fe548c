package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.ConnectionShutdownException;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void typeIsKeptWithTheNewMessageAndTheCause() {
    List<IOException> causes = List.of(new EOFException(), new SocketTimeoutException("timeout"),
        new InterruptedIOException("interrupted"), new ConnectException("refused"),
        new SocketException("Connection reset"), new SSLHandshakeException("handshake"),
        new SSLProtocolException("record"), new SSLException("ssl"), new ProtocolException("bad"),
        new ConnectionShutdownException("shut down"), new IOException("plain"));
    for (IOException cause : causes) {
      IOException result = Failures.withMessage(cause, "to example.com:443 (h2)");

      assertThat(result).as(cause.getClass().getName())
          .isExactlyInstanceOf(cause.getClass())
          .hasMessage("to example.com:443 (h2)")
          .hasCause(cause);
    }
  }

  @Test
  void unlistedSubtypesBecomeTheirNearestListedType() {
    IOException cause = new java.net.NoRouteToHostException("no route");

    assertThat(Failures.withMessage(cause, "m")).isExactlyInstanceOf(SocketException.class).hasCause(cause);
  }

  @Test
  void http2ConnectionExceptionKeepsItsErrorCode() {
    Http2ConnectionException cause = new Http2ConnectionException(ErrorCodes.PROTOCOL_ERROR, "first");

    IOException result = Failures.withMessage(cause, "second");

    assertThat(result).isInstanceOfSatisfying(Http2ConnectionException.class,
        e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.PROTOCOL_ERROR))
        .hasMessage("second")
        .hasCause(cause);
  }

  @Test
  void streamResetExceptionIsReturnedAsItIs() {
    StreamResetException reset = new StreamResetException(2, "INTERNAL_ERROR", "example.com:443 (h2, stream 1)");

    assertThat(Failures.withMessage(reset, "ignored")).isSameAs(reset);
  }

  @Test
  void describeFallsBackToTheClassName() {
    assertThat(Failures.describe(new EOFException())).isEqualTo("EOFException");
    assertThat(Failures.describe(new EOFException("end"))).isEqualTo("end");
  }
}
