package dev.courier.pool.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SOCKS5 server on 127.0.0.1 (RFC 1928) that accepts only the "no authentication" method and
 * the CONNECT command with an IPv4 or domain-name destination. Every accepted CONNECT leads to the
 * one loopback target given at construction, whatever destination the client names; the
 * destination is recorded. {@link #refuseWith(int)} makes it answer CONNECT with a failure reply.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} client connections are served at once (more are
 * closed on accept), the greeting and request must arrive within {@link #HANDSHAKE_TIMEOUT_MILLIS},
 * and {@link #close()} closes every socket and waits a bounded time for its threads. Threads are
 * named {@code LoopbackSocksServer-*}. Thread-safe.
 */
public final class LoopbackSocksServer implements Closeable {
  /** The most client connections served at once. */
  public static final int MAX_CONNECTIONS = 16;
  /** The longest wait for each read of the greeting and the request. */
  public static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;

  /** Reply code: succeeded. */
  public static final int SUCCEEDED = 0;
  /** Reply code: connection not allowed by ruleset. */
  public static final int NOT_ALLOWED = 2;
  /** Reply code: connection refused. */
  public static final int CONNECTION_REFUSED = 5;

  private static final int VERSION = 5;
  private static final int NO_AUTHENTICATION = 0;
  private static final int NO_ACCEPTABLE_METHODS = 0xFF;
  private static final int CONNECT = 1;
  private static final int ATYP_IPV4 = 1;
  private static final int ATYP_DOMAIN_NAME = 3;
  private static final int GENERAL_FAILURE = 1;
  private static final int COMMAND_NOT_SUPPORTED = 7;
  private static final int ADDRESS_TYPE_NOT_SUPPORTED = 8;
  private static final long CLOSE_JOIN_MILLIS = 5_000;

  /** A destination a client asked to connect to. {@code addressType} is 1 (IPv4) or 3 (domain name). */
  public record Destination(int addressType, String host, int port) {}

  private final InetSocketAddress target;
  private final ServerSocket serverSocket;
  private final List<Destination> destinations = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile int replyCode = SUCCEEDED;

  /** Starts a server that relays every accepted CONNECT to {@code target}. */
  public LoopbackSocksServer(InetSocketAddress target) throws IOException {
    this.target = target;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    start("LoopbackSocksServer-accept", this::acceptLoop);
  }

  /** Returns the SOCKS proxy to configure a client with. */
  public Proxy proxy() {
    return new Proxy(Proxy.Type.SOCKS, socketAddress());
  }

  /** Returns the server's socket address. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(serverSocket.getInetAddress(), serverSocket.getLocalPort());
  }

  /** Answers later CONNECT requests with {@code replyCode}; {@link #SUCCEEDED} relays again. */
  public void refuseWith(int replyCode) {
    if (replyCode < 0 || replyCode > 0xFF) {
      throw new IllegalArgumentException("replyCode out of range: " + replyCode);
    }
    this.replyCode = replyCode;
  }

  /** Returns every destination requested with a supported command and address type, in order. */
  public List<Destination> destinations() {
    return new ArrayList<>(destinations);
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket client;
      try {
        client = serverSocket.accept();
      } catch (IOException e) {
        return; // Closed.
      }
      if (clients.size() >= MAX_CONNECTIONS) {
        closeQuietly(client);
        continue;
      }
      clients.add(client);
      sockets.add(client);
      start("LoopbackSocksServer-connection", () -> serve(client));
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (!negotiateMethod(in, out)) {
        return;
      }
      Destination destination = readRequest(in, out);
      if (destination == null) {
        return;
      }
      destinations.add(destination);
      int reply = replyCode;
      if (reply != SUCCEEDED) {
        writeReply(out, reply, null);
        return;
      }
      upstream = new Socket();
      sockets.add(upstream);
      try {
        upstream.connect(target, HANDSHAKE_TIMEOUT_MILLIS);
      } catch (IOException e) {
        writeReply(out, GENERAL_FAILURE, null);
        return;
      }
      writeReply(out, SUCCEEDED, (InetSocketAddress) upstream.getLocalSocketAddress());
      client.setSoTimeout(0);
      Socket relayed = upstream;
      start("LoopbackSocksServer-relay", () -> SocketRelay.relay(relayed, client));
      SocketRelay.relay(client, upstream);
    } catch (IOException e) {
      // The client went away or sent a malformed message.
    } finally {
      closeQuietly(client);
      clients.remove(client);
      sockets.remove(client);
      if (upstream != null) {
        closeQuietly(upstream);
        sockets.remove(upstream);
      }
    }
  }

  /** Reads the greeting and picks "no authentication"; false if the client does not offer it. */
  private static boolean negotiateMethod(DataInputStream in, OutputStream out) throws IOException {
    if (in.readUnsignedByte() != VERSION) {
      return false;
    }
    byte[] methods = new byte[in.readUnsignedByte()];
    in.readFully(methods);
    for (byte method : methods) {
      if (method == NO_AUTHENTICATION) {
        out.write(new byte[] {VERSION, NO_AUTHENTICATION});
        out.flush();
        return true;
      }
    }
    out.write(new byte[] {VERSION, (byte) NO_ACCEPTABLE_METHODS});
    out.flush();
    return false;
  }

  /** Reads a request; answers and returns null if its command or address type is unsupported. */
  private static Destination readRequest(DataInputStream in, OutputStream out) throws IOException {
    int version = in.readUnsignedByte();
    int command = in.readUnsignedByte();
    in.readUnsignedByte(); // Reserved.
    int addressType = in.readUnsignedByte();
    if (version != VERSION) {
      return null;
    }
    if (command != CONNECT) {
      writeReply(out, COMMAND_NOT_SUPPORTED, null);
      return null;
    }
    String host;
    if (addressType == ATYP_IPV4) {
      byte[] address = new byte[4];
      in.readFully(address);
      host = InetAddress.getByAddress(address).getHostAddress();
    } else if (addressType == ATYP_DOMAIN_NAME) {
      byte[] name = new byte[in.readUnsignedByte()];
      in.readFully(name);
      host = new String(name, US_ASCII);
    } else {
      writeReply(out, ADDRESS_TYPE_NOT_SUPPORTED, null);
      return null;
    }
    int port = in.readUnsignedShort();
    return new Destination(addressType, host, port);
  }

  /** Writes a reply with an IPv4 bound address: {@code bound}'s, or 0.0.0.0:0 if null. */
  private static void writeReply(OutputStream out, int reply, InetSocketAddress bound) throws IOException {
    byte[] address = bound != null ? bound.getAddress().getAddress() : new byte[4];
    int port = bound != null ? bound.getPort() : 0;
    out.write(new byte[] {VERSION, (byte) reply, 0, ATYP_IPV4,
        address[0], address[1], address[2], address[3], (byte) (port >>> 8), (byte) port});
    out.flush();
  }

  private void start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /** Closes the listening socket and every connection, then waits up to 5 seconds for each thread. */
  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    long deadlineNanos = System.nanoTime() + CLOSE_JOIN_MILLIS * 1_000_000;
    for (Thread thread : threads) {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return;
      }
      try {
        thread.join(remainingMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }
}
