package dev.courier.tls;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Serves TLS handshakes with the JDK's own server socket, for settings TestServer does not offer
 * (a server's ALPN choice, restricted TLS versions). Each connection completes the handshake and
 * then waits until the client closes. Close client sockets before closing this server: closing a
 * JDK TLS socket waits for its peer's close.
 */
final class JdkTlsServer implements Closeable {
  private final SSLServerSocket serverSocket;
  private final Thread acceptThread;
  private volatile Socket current;

  JdkTlsServer(SSLContext context, Consumer<SSLSocket> configure) throws IOException {
    serverSocket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptThread = new Thread(() -> acceptLoop(configure), "JdkTlsServer");
    acceptThread.setDaemon(true);
    acceptThread.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  private void acceptLoop(Consumer<SSLSocket> configure) {
    while (true) {
      try (SSLSocket socket = (SSLSocket) serverSocket.accept()) {
        current = socket;
        // Bounds every read, including the one JDK's close() makes while draining the peer.
        socket.setSoTimeout(5_000);
        configure.accept(socket);
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        while (in.read() != -1) {
          // Wait for the client to close.
        }
      } catch (IOException e) {
        if (serverSocket.isClosed()) {
          return;
        }
        // A failed handshake is what some tests expect; serve the next connection.
      }
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    Socket socket = current;
    if (socket != null) {
      socket.close();
    }
    try {
      acceptThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
