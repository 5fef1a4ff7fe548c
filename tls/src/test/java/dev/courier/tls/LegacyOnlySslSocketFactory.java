package dev.courier.tls;

import java.net.Socket;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** Makes TLS sockets that claim to support only TLSv1 and TLSv1.1, to test version filtering. */
final class LegacyOnlySslSocketFactory extends LayeringSslSocketFactory {
  volatile LegacySocket lastSocket;

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) {
    lastSocket = new LegacySocket();
    return lastSocket;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return new String[0];
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return new String[0];
  }

  /** An unconnected TLS socket whose only supported versions are legacy ones. */
  static final class LegacySocket extends SSLSocket {
    @Override
    public String[] getSupportedProtocols() {
      return new String[] {"TLSv1", "TLSv1.1"};
    }

    @Override
    public String[] getEnabledProtocols() {
      return getSupportedProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {}

    @Override
    public String[] getSupportedCipherSuites() {
      return new String[0];
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return new String[0];
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {}

    @Override
    public SSLSession getSession() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {}

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {}

    @Override
    public void startHandshake() {
      throw new AssertionError("the handshake must not start without a supported version");
    }

    @Override
    public void setUseClientMode(boolean mode) {}

    @Override
    public boolean getUseClientMode() {
      return true;
    }

    @Override
    public void setNeedClientAuth(boolean need) {}

    @Override
    public boolean getNeedClientAuth() {
      return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {}

    @Override
    public boolean getWantClientAuth() {
      return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {}

    @Override
    public boolean getEnableSessionCreation() {
      return true;
    }
  }
}
