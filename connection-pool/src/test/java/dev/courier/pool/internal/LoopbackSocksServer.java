package dev.courier.pool.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.courier.testing.LoopbackPeer;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SOCKS5 server on 127.0.0.1 (RFC 1928) that accepts only the "no authentication" method and
 * the CONNECT command with an IPv4 or domain-name destination. Every accepted CONNECT leads to the
 * one loopback target given at construction, whatever destination the client names; the
 * destination is recorded. {@link #refuseWith(int)} makes it answer CONNECT with a failure reply.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} client connections are served at once (more are
 * closed at once), the greeting and request must arrive within {@link #HANDSHAKE_TIMEOUT_MILLIS},
 * and {@link #close()} closes every socket and waits a bounded time for its threads (those of a
 * {@link LoopbackPeer}). Threads are named {@code LoopbackSocksServer*}. Thread-safe.
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

  /** A destination a client asked to connect to. {@code addressType} is 1 (IPv4) or 3 (domain name). */
  public record Destination(int addressType, String host, int port) {}

  private final InetSocketAddress target;
  private final LoopbackPeer peer;
  private final List<Destination> destinations = new CopyOnWriteArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();
  private volatile int replyCode = SUCCEEDED;

  /** Starts a server that relays every accepted CONNECT to {@code target}. */
  public LoopbackSocksServer(InetSocketAddress target) throws IOException {
    this.target = target;
    this.peer = LoopbackPeer.open();
    peer.serve("LoopbackSocksServer", (index, client) -> {
      if (clients.incrementAndGet() > MAX_CONNECTIONS) {
        clients.decrementAndGet();
        return; // Too many at once: the peer closes it.
      }
      try {
        serve(client);
      } finally {
        clients.decrementAndGet();
      }
    });
  }

  /** Returns the SOCKS proxy to configure a client with. */
  public Proxy proxy() {
    return new Proxy(Proxy.Type.SOCKS, socketAddress());
  }

  /** Returns the server's socket address. */
  public InetSocketAddress socketAddress() {
    return peer.socketAddress();
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

  private void serve(Socket client) {
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
      Socket upstream;
      try {
        upstream = peer.connect(target);
      } catch (IOException e) {
        writeReply(out, GENERAL_FAILURE, null);
        return;
      }
      writeReply(out, SUCCEEDED, (InetSocketAddress) upstream.getLocalSocketAddress());
      client.setSoTimeout(0);
      peer.fork("LoopbackSocksServer relay", () -> SocketRelay.relay(upstream, client));
      SocketRelay.relay(client, upstream);
    } catch (IOException e) {
      // The client went away or sent a malformed message.
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

  /** Closes the listening socket and every connection, then waits for each thread. */
  @Override
  public void close() throws IOException {
    peer.close();
  }
}
