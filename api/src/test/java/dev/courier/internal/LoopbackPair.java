package dev.courier.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A connected client socket and the peer's end of it, on loopback. Closes both. */
final class LoopbackPair implements AutoCloseable {
  final Socket client;
  final Socket peer;
  final String peerName;

  private LoopbackPair(Socket client, Socket peer) {
    this.client = client;
    this.peer = peer;
    this.peerName = "127.0.0.1:" + peer.getLocalPort();
  }

  /** Connects a client whose send buffer is small, so a peer that never reads stalls it soon. */
  static LoopbackPair open() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setReceiveBufferSize(4096);
      Socket client = new Socket();
      client.setSendBufferSize(4096);
      client.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
      return new LoopbackPair(client, server.accept());
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
    peer.close();
  }
}
