package dev.courier.examples;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * Serves one file with the JDK's own HTTP server (an implementation independent of Courier's),
 * optionally paced, optionally over TLS requiring a client certificate.
 */
final class FileServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  final AtomicReference<String> clientPrincipal = new AtomicReference<>();

  private FileServer(HttpServer server, Path file, long pauseMillisPer64KiB) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      if (exchange instanceof com.sun.net.httpserver.HttpsExchange) {
        SSLSession session = ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession();
        clientPrincipal.set(session.getPeerPrincipal().getName());
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, Files.size(file));
      try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) != -1) {
          out.write(buffer, 0, read);
          if (pauseMillisPer64KiB > 0) {
            out.flush();
            TimeUnit.MILLISECONDS.sleep(pauseMillisPer64KiB);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientWentAway) {
        // The client closed the connection: nothing more to send.
      }
    });
    server.start();
  }

  /** Serves {@code file} over cleartext HTTP/1.1, pausing after each 64 KiB if asked. */
  static FileServer http(Path file, long pauseMillisPer64KiB) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    return new FileServer(server, file, pauseMillisPer64KiB);
  }

  /** Serves {@code file} over TLS with {@code context}, requiring a client certificate. */
  static FileServer httpsRequiringClientCertificate(Path file, SSLContext context) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters parameters) {
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(true);
        parameters.setSSLParameters(ssl);
      }
    });
    return new FileServer(server, file, 0);
  }

  /** Returns a server context presenting {@code certificate} and trusting {@code authority}'s clients. */
  static SSLContext serverContextTrusting(TestCertificateAuthority authority,
      IssuedCertificate certificate) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", certificate.privateKey(), new char[0], certificate.chain());
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), new TrustManager[] {authority.trustManager()}, null);
    return context;
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Writes {@code size} pseudo-random bytes to {@code file}. */
  static void writeRandom(Path file, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += buffer.length) {
        for (int i = 0; i < buffer.length; i += 8) {
          long value = random.nextLong();
          for (int j = 0; j < 8; j++) buffer[i + j] = (byte) (value >>> (8 * j));
        }
        out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
      }
    }
  }

  /** Returns the SHA-256 of {@code file}, read in a stream. */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int read;
      while ((read = in.read(buffer)) != -1) digest.update(buffer, 0, read);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
