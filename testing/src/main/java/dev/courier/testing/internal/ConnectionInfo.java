package dev.courier.testing.internal;

/**
 * Describes one accepted TCP connection: its index and, once the handshake is done, its TLS
 * session. The request sequence counter is only touched on the connection's event loop.
 */
public final class ConnectionInfo {
  private final int index;
  private int nextSequenceNumber;
  private volatile String tlsVersion;
  private volatile String sniHostName;

  /** Creates the description of the connection accepted as number {@code index} (0-based). */
  public ConnectionInfo(int index) {
    this.index = index;
  }

  /** Returns the 0-based index of this connection among those the server accepted. */
  public int index() {
    return index;
  }

  /** Returns the sequence number for the next request on this connection; event loop only. */
  public int nextSequenceNumber() {
    return nextSequenceNumber++;
  }

  /** Records the negotiated TLS version and the SNI host name the client sent (may be null). */
  public void tlsEstablished(String tlsVersion, String sniHostName) {
    this.tlsVersion = tlsVersion;
    this.sniHostName = sniHostName;
  }

  /** Returns the negotiated TLS version, or null on cleartext connections. */
  public String tlsVersion() {
    return tlsVersion;
  }

  /** Returns the SNI host name sent by the client, or null. */
  public String sniHostName() {
    return sniHostName;
  }
}
