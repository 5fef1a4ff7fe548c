package dev.courier.examples;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.CertificatePinner;
import dev.courier.Credentials;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.chain.CourierClient;
import dev.courier.tls.PemFiles;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import okio.BufferedSink;

/**
 * The code of docs/recipes.md. Each recipe stands between a {@code // recipe:} line and a
 * {@code // end} line; RecipesTest runs every one against a local server and checks that the page
 * shows exactly this code.
 */
final class Recipes {
  private final CourierClient client;

  Recipes(CourierClient client) {
    this.client = client;
  }

  String synchronousGet(String url) throws IOException {
    // recipe: synchronous-get
    Request request = new Request.Builder().url(url).build();
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) throw new IOException("Unexpected code " + response);
      return response.body().string();
    }
    // end
  }

  CompletableFuture<String> asynchronousGet(String url) {
    // recipe: asynchronous-get
    CompletableFuture<String> result = new CompletableFuture<>();
    Request request = new Request.Builder().url(url).build();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        result.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          result.complete(response.body().string());
        }
      }
    });
    // end
    return result;
  }

  List<String> headers(String url) throws IOException {
    // recipe: headers
    Request request = new Request.Builder()
        .url(url)
        .header("User-Agent", "recipes/1.0")
        .addHeader("Accept", "application/json; q=0.5")
        .addHeader("Accept", "application/vnd.github.v3+json")
        .build();
    try (Response response = client.newCall(request).execute()) {
      String server = response.header("Server");
      List<String> vary = response.headers().values("Vary");
      return List.of(String.valueOf(server), String.join(",", vary));
    }
    // end
  }

  String postString(String url) throws IOException {
    // recipe: post-string
    MediaType markdown = MediaType.get("text/x-markdown; charset=utf-8");
    String text = "Releases\n--------\n\n * _1.0_ May 6, 2026\n";
    Request request = new Request.Builder()
        .url(url)
        .post(RequestBody.create(text, markdown))
        .build();
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
    // end
  }

  String postStream(String url) throws IOException {
    // recipe: post-stream
    RequestBody numbers = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain; charset=utf-8");
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        for (int i = 2; i <= 997; i++) {
          if (isPrime(i)) sink.writeUtf8(i + "\n");
        }
      }
    };
    Request request = new Request.Builder().url(url).post(numbers).build();
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
    // end
  }

  private static boolean isPrime(int n) {
    for (int d = 2; d * d <= n; d++) {
      if (n % d == 0) return false;
    }
    return true;
  }

  String postFile(String url, File file) throws IOException {
    // recipe: post-file
    Request request = new Request.Builder()
        .url(url)
        .post(RequestBody.create(file, MediaType.get("text/plain; charset=utf-8")))
        .build();
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
    // end
  }

  String perCallTimeout(String url) throws IOException {
    // recipe: per-call-timeout
    Call call = client.newCall(new Request.Builder().url(url).build());
    call.timeout().timeout(2, TimeUnit.SECONDS); // the whole call, this call only
    try (Response response = call.execute()) {
      return response.body().string();
    }
    // end
  }

  String perCallConfiguration(String url) throws IOException {
    // recipe: per-call-configuration
    // newBuilder() shares the pool, dispatcher and cache; only what is set here differs.
    CourierClient patient = client.newBuilder()
        .readTimeout(Duration.ofSeconds(30))
        .build();
    try (Response response = patient.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    }
    // end
  }

  IOException cancel(String url) throws InterruptedException {
    // recipe: cancel
    Call call = client.newCall(new Request.Builder().url(url).build());
    Thread canceler = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      call.cancel(); // any thread may cancel; the blocked execute() throws at once
    });
    canceler.start();
    try (Response response = call.execute()) {
      return null;
    } catch (IOException e) {
      return e;
    } finally {
      canceler.join();
    }
    // end
  }

  static CourierClient caching(File directory) {
    // recipe: caching
    Cache cache = new Cache(directory, 10L * 1024 * 1024);
    CourierClient client = CourierClient.builder()
        .cache(cache)
        .build();
    // end
    return client;
  }

  static CourierClient serverAuthentication(String user, String password) {
    // recipe: server-authentication
    CourierClient client = CourierClient.builder()
        .authenticator((route, response) -> {
          String credentials = Credentials.basic(user, password);
          if (credentials.equals(response.request().header("Authorization"))) {
            return null; // these credentials were refused already: give up
          }
          return response.request().newBuilder()
              .header("Authorization", credentials)
              .build();
        })
        .build();
    // end
    return client;
  }

  static CourierClient proxyAuthentication(InetSocketAddress proxyAddress, String user,
      String password) {
    // recipe: proxy-authentication
    CourierClient client = CourierClient.builder()
        .proxy(new Proxy(Proxy.Type.HTTP, proxyAddress))
        .proxyAuthenticator((route, response) -> {
          String credentials = Credentials.basic(user, password);
          if (credentials.equals(response.request().header("Proxy-Authorization"))) {
            return null;
          }
          return response.request().newBuilder()
              .header("Proxy-Authorization", credentials)
              .build();
        })
        .build();
    // end
    return client;
  }

  static CourierClient interceptors(List<String> log) {
    // recipe: interceptors
    CourierClient client = CourierClient.builder()
        // An application interceptor sees each call once, before retries and redirects.
        .addInterceptor(chain -> {
          Request request = chain.request().newBuilder().header("X-Request-Source", "recipes").build();
          return chain.proceed(request);
        })
        // A network interceptor sees each request that goes on the wire, with its connection.
        .addNetworkInterceptor(chain -> {
          long start = System.nanoTime();
          Response response = chain.proceed(chain.request());
          log.add(chain.request().url() + " over " + chain.connection().protocol()
              + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
          return response;
        })
        .build();
    // end
    return client;
  }

  static CourierClient eventListener(List<String> events) {
    // recipe: event-listener
    EventListener listener = new EventListener() {
      @Override
      public void callStart(Call call) {
        events.add("callStart " + call.request().url());
      }

      @Override
      public void connectionAcquired(Call call, dev.courier.Connection connection) {
        events.add("connectionAcquired " + connection.protocol());
      }

      @Override
      public void callEnd(Call call) {
        events.add("callEnd");
      }
    };
    CourierClient client = CourierClient.builder()
        .eventListener(listener) // or eventListenerFactory(...) for state per call
        .build();
    // end
    return client;
  }

  static CourierClient customCertificateAuthority(Path caFile) throws IOException {
    // recipe: custom-ca
    // caFile holds one or more PEM certificates (-----BEGIN CERTIFICATE-----).
    X509TrustManager trustManager = PemFiles.trustManager(caFile);
    SSLContext tls = PemFiles.sslContext(trustManager, null);

    CourierClient client = CourierClient.builder()
        .sslSocketFactory(tls.getSocketFactory(), trustManager)
        .build();
    // end
    return client;
  }

  static CourierClient clientCertificate(Path caFile, Path certificateFile, Path keyFile)
      throws IOException {
    // recipe: client-certificate
    // certificateFile: the client's certificate, then any intermediates, in PEM.
    // keyFile: its unencrypted private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY).
    X509TrustManager trustManager = PemFiles.trustManager(caFile);
    X509KeyManager keyManager = PemFiles.keyManager(certificateFile, keyFile);
    SSLContext tls = PemFiles.sslContext(trustManager, keyManager);

    CourierClient client = CourierClient.builder()
        .sslSocketFactory(tls.getSocketFactory(), trustManager)
        .build();
    // end
    return client;
  }

  static CourierClient certificatePinning(CourierClient base, String host, String pin) {
    // recipe: certificate-pinning
    // pin is "sha256/" + the Base64 SHA-256 of a certificate's public key in the chain;
    // CertificatePinner.pin(certificate) computes it.
    CourierClient client = base.newBuilder()
        .certificatePinner(new CertificatePinner.Builder()
            .add(host, pin)
            .build())
        .build();
    // end
    return client;
  }

  static String printHandshake(Response response) {
    Handshake handshake = response.handshake();
    X509Certificate leaf = (X509Certificate) handshake.peerCertificates().get(0);
    return handshake.tlsVersion() + " " + leaf.getSubjectX500Principal().getName();
  }

  static List<CourierClient> http2() {
    // recipe: http2
    // With courier-codec-http2 on the class path, https URLs negotiate h2 by ALPN: nothing to set.
    CourierClient client = new CourierClient();
    // Cleartext HTTP/2 is used only with prior knowledge, when the server is known to speak it.
    CourierClient h2c = CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .build();
    // end
    return List.of(client, h2c);
  }

  static CourierClient choosingPlugIns() {
    // recipe: choosing-plug-ins
    // The highest priority provider wins; a system property names another without code,
    // e.g. -Ddev.courier.spi.EvictionPolicyProvider=per-address, and the builder overrides both.
    CourierClient client = CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1)) // speak only HTTP/1.1, whatever codecs are present
        .routeSelectorName("round-robin") // a RouteSelectorProvider by name
        .build();
    // end
    return client;
  }
}
