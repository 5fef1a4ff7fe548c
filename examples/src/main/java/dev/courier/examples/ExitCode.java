package dev.courier.examples;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The command-line client's exit codes, the same numbers as curl's where curl has one, and the
 * plain message for each failure (no Java class names). {@code courier --help} lists them.
 */
final class ExitCode {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int MALFORMED_URL = 3;
  static final int COULD_NOT_RESOLVE_HOST = 6;
  static final int COULD_NOT_CONNECT = 7;
  static final int HTTP_ERROR = 22;
  static final int WRITE_ERROR = 23;
  static final int READ_ERROR = 26;
  static final int TIMEOUT = 28;
  static final int TLS_CONNECT_ERROR = 35;
  static final int TOO_MANY_REDIRECTS = 47;
  static final int RECEIVE_ERROR = 56;
  static final int CLIENT_CERTIFICATE_ERROR = 58;
  static final int PEER_NOT_TRUSTED = 60;
  static final int CA_CERTIFICATE_ERROR = 77;

  final int code;
  final String message;

  private ExitCode(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** Returns the exit code and message for {@code failure}, a call to {@code host}. */
  static ExitCode of(Throwable failure, String host) {
    if (failure instanceof OutputFailure) {
      return new ExitCode(WRITE_ERROR, "could not write the output: " + messageOf(failure.getCause()));
    }
    if (failure instanceof CliTls.SetupFailure) {
      return new ExitCode(((CliTls.SetupFailure) failure).exitCode, failure.getMessage());
    }
    if (failure instanceof InputFailure) {
      return new ExitCode(READ_ERROR, messageOf(failure));
    }
    if (failure instanceof UnknownHostException) {
      return new ExitCode(COULD_NOT_RESOLVE_HOST, "could not resolve host " + host);
    }
    if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
      return new ExitCode(COULD_NOT_CONNECT, "could not connect: " + messageOf(failure));
    }
    if (failure instanceof SocketTimeoutException || isTimeout(failure)) {
      return new ExitCode(TIMEOUT, "timed out: " + messageOf(failure));
    }
    if (failure instanceof SSLPeerUnverifiedException || hasCause(failure, CertificateException.class)
        || hasCause(failure, CertPathValidatorException.class)) {
      return new ExitCode(PEER_NOT_TRUSTED, "the certificate of " + host + " is not trusted: "
          + messageOf(failure) + " (use --cacert FILE to trust its authority, or -k to skip checks)");
    }
    if (failure instanceof SSLException) {
      return new ExitCode(TLS_CONNECT_ERROR, "TLS handshake with " + host + " failed: " + messageOf(failure));
    }
    if (failure instanceof ProtocolException && String.valueOf(failure.getMessage()).startsWith("Too many follow-up")) {
      return new ExitCode(TOO_MANY_REDIRECTS, messageOf(failure));
    }
    if (failure instanceof IOException) {
      return new ExitCode(RECEIVE_ERROR, messageOf(failure));
    }
    return new ExitCode(FAILURE, messageOf(failure));
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof InterruptedIOException
        && String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) return true;
    }
    return false;
  }

  /** Returns the failure's own message, or a plain description where it has none. */
  static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    if (message != null && !message.isBlank()) return message;
    Throwable cause = failure.getCause();
    return cause != null && cause != failure ? messageOf(cause) : "unexpected end of data";
  }

  /** Writing to standard output or the output file failed (curl's exit 23). */
  static final class OutputFailure extends IOException {
    OutputFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Passes writes on, turning every failure to write, flush or close into an OutputFailure. */
  static final class OutputFailures extends FilterOutputStream {
    OutputFailures(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw asOutputFailure(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw asOutputFailure(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw asOutputFailure(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (IOException e) {
        throw asOutputFailure(e);
      }
    }

    private static IOException asOutputFailure(IOException e) {
      return e instanceof OutputFailure ? e : new OutputFailure(e);
    }
  }

  /** Reading a file to send failed (curl's exit 26). */
  static final class InputFailure extends IOException {
    InputFailure(String message, IOException cause) {
      super(message, cause);
    }
  }
}
