package dev.courier.pool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Copies bytes one way between two sockets, for the loopback proxies in these tests. */
final class SocketRelay {
  private SocketRelay() {}

  /**
   * Copies from {@code from} to {@code to} until either side ends, then closes both, so the
   * relay in the other direction ends too.
   */
  static void relay(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side closed.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best-effort.
    }
  }
}
