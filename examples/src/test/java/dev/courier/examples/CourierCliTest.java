package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command-line client in process, with its standard streams captured. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CourierCliTest {
  @TempDir Path directory;
  private TestServer server;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;
  private byte[] stdin = new byte[0];

  @BeforeEach
  void setUp() throws IOException {
    server = new TestServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    return run(out, args);
  }

  private int run(OutputStream stdout, String... args) {
    return run(stdout, false, args);
  }

  private int run(OutputStream stdout, boolean terminal, String... args) {
    if (err == null) err = new ByteArrayOutputStream();
    CliConsole console = new CliConsole(new ByteArrayInputStream(stdin), stdout,
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, terminal, 100);
    return CourierCli.run(args, console);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheOptionsAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(stdout()).contains("-X, --request=METHOD", "--data-binary", "-k, --insecure",
        "--http2-prior-knowledge", "Redirects are followed by default", "6  could not resolve the host",
        "47  too many redirects", "60  the server's certificate is not trusted");
  }

  @Test
  void listProvidersShowsEachPlugInPointWithPrioritiesAndWhichWon() {
    assertThat(run("--list-providers")).isZero();

    String listing = stdout();
    assertThat(listing).contains("ProtocolConnectionProvider (dev.courier.spi.ProtocolConnectionProvider)",
        "RouteSelectorProvider (dev.courier.spi.RouteSelectorProvider)",
        "EvictionPolicyProvider (dev.courier.spi.EvictionPolicyProvider)");
    assertThat(line(listing, "courier-http1 ")).startsWith("  * ").contains("priority 0")
        .contains("speaks http/1.1").contains("<- chosen for http/1.1");
    assertThat(line(listing, "courier-http2")).startsWith("  * ").contains("<- chosen for h2");
    assertThat(line(listing, "courier-http1-unix")).startsWith("    ").contains("priority -1")
        .contains("(own transport)");
    assertThat(line(listing, "courier-default")).startsWith("  * ");
    assertThat(line(listing, "round-robin")).startsWith("    ").contains("priority -1");
    assertThat(line(listing, "idle-time ")).startsWith("  * ");
    assertThat(line(listing, "per-address")).startsWith("    ");
  }

  @Test
  void listProvidersReflectsTheChoicesOnTheCommandLine() {
    assertThat(run("--list-providers", "--route-selector", "round-robin", "--pool-policy", "per-address",
        "--codec", "http/1.1=courier-http1-unix")).isZero();

    String listing = stdout();
    assertThat(line(listing, "courier-http1-unix")).startsWith("  * ").contains("<- chosen for http/1.1");
    assertThat(line(listing, "courier-http1 ")).startsWith("    ");
    assertThat(line(listing, "courier-http2")).startsWith("  * "); // Still discovered.
    assertThat(line(listing, "round-robin")).startsWith("  * ");
    assertThat(line(listing, "courier-default")).startsWith("    ");
    assertThat(line(listing, "per-address")).startsWith("  * ");
  }

  @Test
  void unknownProviderNameFailsNamingIt() {
    assertThat(run("--list-providers", "--pool-policy", "no-such-policy")).isNotZero();
    assertThat(stderr()).contains("no-such-policy");
    assertThat(run("--provider-setting", "broken", "http://127.0.0.1/")).isNotZero();
    assertThat(stderr()).contains("PROVIDER:KEY=VALUE");
  }

  @Test
  void unixSocketFetchesOverTheSocketFile() throws Exception {
    Path socket = directory.resolve("cli.sock");
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(socket));
      Thread peer = new Thread(() -> {
        try (SocketChannel channel = listener.accept()) {
          ByteBuffer head = ByteBuffer.allocate(4096);
          while (!new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            if (channel.read(head) < 0) {
              return;
            }
          }
          channel.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\n"
              + "via unix sock\n").getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException ignored) {
          // The test fails on the missing body.
        }
      });
      peer.start();

      assertThat(run("--unix-socket", socket.toString(), "http://api.local/v1/ping")).isZero();
      peer.join(5_000);
    }
    assertThat(stdout()).isEqualTo("via unix sock\n");
    assertThat(run("--unix-socket", socket.toString(), "--http2", "http://api.local/")).isEqualTo(2);
  }

  private static String line(String text, String containing) {
    for (String line : text.split("\n")) {
      if (line.contains(containing)) {
        return line;
      }
    }
    throw new AssertionError("no line contains '" + containing + "' in:\n" + text);
  }

  @Test
  void versionNamesCourierAndJava() {
    assertThat(run("--version")).isZero();
    assertThat(stdout()).startsWith("courier ").contains("Java ");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("--bogus", "http://127.0.0.1/")).isEqualTo(2);
    assertThat(stderr()).contains("courier: Unknown option: '--bogus'").contains("courier --help");
    assertThat(run("--http1.1", "--h2c", "http://127.0.0.1/")).isEqualTo(2);
    assertThat(stderr()).contains("choose one of --http1.1, --http2 and --http2-prior-knowledge");
    assertThat(run("--connect-timeout", "soon", "http://127.0.0.1/")).isEqualTo(2);
    assertThat(stderr()).contains("'soon' is not a number of seconds");
  }

  @Test
  void malformedUrlExitsWithThree() {
    assertThat(run("ftp://example.com/")).isEqualTo(3);
    assertThat(stderr()).startsWith("courier: malformed URL: ");
  }

  @Test
  void unknownHostExitsWithSixAndNamesTheHost() {
    assertThat(run("http://no-such-host.invalid/")).isEqualTo(6);
    assertThat(stderr()).isEqualTo("courier: could not resolve host no-such-host.invalid\n");
  }

  @Test
  void refusedConnectionExitsWithSeven() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    assertThat(run("http://127.0.0.1:" + port + "/")).isEqualTo(7);
    assertThat(stderr()).startsWith("courier: could not connect: ").doesNotContain("Exception");
  }

  @Test
  void silentHidesTheErrorAndShowErrorBringsItBack() {
    assertThat(run("-s", "http://no-such-host.invalid/")).isEqualTo(6);
    assertThat(stderr()).isEmpty();
    assertThat(run("-sS", "http://no-such-host.invalid/")).isEqualTo(6);
    assertThat(stderr()).contains("could not resolve host");
  }

  @Test
  void stallingServerEndsInExitTwentyEight() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/";
      assertThat(run("--read-timeout", "0.3", url)).isEqualTo(28);
      assertThat(stderr()).startsWith("courier: timed out");
      assertThat(run("-m", "0.4", url)).isEqualTo(28);
      assertThat(run("--timeout=0.4", url)).isEqualTo(28);
    }
  }

  @Test
  void binaryBodyIsWrittenExactly() throws IOException {
    byte[] body = new byte[4096];
    new Random(7).nextBytes(body);
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/octet-stream")
        .body(body).build());
    server.start();
    assertThat(run(server.url("/blob"))).isZero();
    assertThat(out.toByteArray()).isEqualTo(body);
    assertThat(stderr()).isEmpty();
  }

  @Test
  void textIsNotReencoded() throws IOException {
    byte[] latin1 = "caf\u00e9 na\u00efve\n".getBytes(StandardCharsets.ISO_8859_1);
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain; charset=iso-8859-1")
        .body(latin1).build());
    server.start();
    assertThat(run(server.url("/"))).isZero();
    assertThat(out.toByteArray()).isEqualTo(latin1);
  }

  @Test
  void httpErrorsExitZeroUnlessFailIsAsked() throws IOException {
    server.enqueue(ScriptedResponse.builder().status(404).body("missing").build());
    server.enqueue(ScriptedResponse.builder().status(500).body("broken").build());
    server.start();
    assertThat(run(server.url("/a"))).isZero();
    assertThat(stdout()).isEqualTo("missing");
    assertThat(run("-f", server.url("/b"))).isEqualTo(22);
    assertThat(stdout()).isEmpty();
    assertThat(stderr()).contains("the server answered 500");
  }

  @Test
  void includeWritesTheHeadBeforeTheBodyAndHeadSendsHead() throws IOException, InterruptedException {
    server.enqueue(ScriptedResponse.builder().header("X-Thing", "1").body("hello").build());
    server.enqueue(ScriptedResponse.builder().header("X-Thing", "2").build());
    server.start();
    assertThat(run("-i", server.url("/"))).isZero();
    assertThat(stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Thing: 1\r\n").endsWith("\r\n\r\nhello");
    assertThat(run("-I", server.url("/"))).isZero();
    assertThat(stdout()).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Thing: 2\r\n").endsWith("\r\n\r\n");
    server.takeRequest();
    assertThat(server.takeRequest().method()).isEqualTo("HEAD");
  }

  @Test
  void dataOptionsBuildTheBodyAsCurlDoes() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().build());
    server.start();
    Path file = directory.resolve("form.txt");
    Files.writeString(file, "a=1\r\nb=2\n");

    assertThat(run("-d", "x=1", "-d", "@" + file, server.url("/"))).isZero();
    RecordedRequest form = server.takeRequest();
    assertThat(form.method()).isEqualTo("POST");
    assertThat(form.bodyUtf8()).isEqualTo("x=1&a=1b=2");
    assertThat(form.header("Content-Type")).startsWith("application/x-www-form-urlencoded");

    assertThat(run("--data-binary", "@" + file, "-H", "Content-Type: text/plain", server.url("/"))).isZero();
    RecordedRequest binary = server.takeRequest();
    assertThat(binary.bodyUtf8()).isEqualTo("a=1\r\nb=2\n");
    assertThat(binary.header("Content-Type")).isEqualTo("text/plain");

    stdin = "{\"k\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(run("--json", "@-", server.url("/"))).isZero();
    RecordedRequest json = server.takeRequest();
    assertThat(json.bodyUtf8()).isEqualTo("{\"k\":1}");
    assertThat(json.header("Content-Type")).startsWith("application/json");
    assertThat(json.header("Accept")).isEqualTo("application/json");

    assertThat(run("-X", "POST", server.url("/"))).isZero();
    RecordedRequest empty = server.takeRequest();
    assertThat(empty.method()).isEqualTo("POST");
    assertThat(empty.header("Content-Length")).isEqualTo("0");

    assertThat(run("-u", "ann:s3cret", "-A", "tester/1", "-e", "http://ref.example/",
        "--header=X-A: b", server.url("/"))).isZero();
    RecordedRequest headers = server.takeRequest();
    assertThat(headers.header("Authorization")).isEqualTo("Basic YW5uOnMzY3JldA==");
    assertThat(headers.header("User-Agent")).isEqualTo("tester/1");
    assertThat(headers.header("Referer")).isEqualTo("http://ref.example/");
    assertThat(headers.header("X-A")).isEqualTo("b");
  }

  @Test
  void jsonResponseIsPrettyPrintedOnlyOnATerminal() throws IOException {
    String compact = "{\"name\":\"courier\",\"tags\":[\"http\",\"java\"]}";
    server.dispatcher(request -> ScriptedResponse.builder()
        .header("Content-Type", "application/json").body(compact).build());
    server.start();

    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    assertThat(run(out, true, "--json", "{}", server.url("/"))).isZero();
    assertThat(stdout()).isEqualTo("{\n  \"name\" : \"courier\",\n  \"tags\" : [ \"http\", \"java\" ]\n}\n");

    assertThat(run("--json", "{}", server.url("/"))).isZero();
    assertThat(stdout()).isEqualTo(compact);
    out = new ByteArrayOutputStream();
    assertThat(run(out, true, server.url("/"))).isZero();
    assertThat(stdout()).isEqualTo(compact);
  }

  @Test
  void missingDataFileExitsWithTwentySix() throws IOException {
    server.start();
    assertThat(run("--data-binary", "@" + directory.resolve("absent"), server.url("/"))).isEqualTo(26);
    assertThat(stderr()).contains("could not read");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void outputGoesToTheNamedFileOrTheUrlsFileName() throws IOException {
    server.dispatcher(request -> ScriptedResponse.builder().body("content of " + request.path()).build());
    server.start();
    Path file = directory.resolve("saved.txt");
    assertThat(run("-o", file.toString(), server.url("/x"))).isZero();
    assertThat(Files.readString(file)).isEqualTo("content of /x");
    assertThat(stdout()).isEmpty();

    assertThat(run("-O", server.url("/"))).isEqualTo(23);
    assertThat(stderr()).contains("no file name for -O");
  }

  @Test
  void closedOutputExitsWithTwentyThree() throws IOException {
    server.enqueue(ScriptedResponse.builder().body(new byte[256 * 1024]).build());
    server.start();
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    err = null;
    assertThat(run(broken, server.url("/"))).isEqualTo(23);
    assertThat(stderr()).isEqualTo("courier: could not write the output: Broken pipe\n");
  }

  @Test
  void verboseTraceGoesToStandardErrorWithPrefixes() throws IOException {
    server.enqueue(ScriptedResponse.builder().header("X-Reply", "yes").body("body only").build());
    server.start();
    assertThat(run("-v", server.url("/path?q=1"))).isZero();
    assertThat(stdout()).isEqualTo("body only");
    assertThat(stderr()).contains("> GET /path?q=1\n", "> Host: 127.0.0.1:" + server.port() + "\n",
        "< http/1.1 200 OK\n", "< X-Reply: yes\n", "new connection", "ms  connecting to");
  }

  @Test
  void redirectsAreFollowedByDefaultAndNotWithNoFollow() throws IOException {
    server.dispatcher(request -> request.path().equals("/old")
        ? ScriptedResponse.builder().status(302).header("Location", "/new").build()
        : ScriptedResponse.builder().body("arrived").build());
    server.start();
    assertThat(run(server.url("/old"))).isZero();
    assertThat(stdout()).isEqualTo("arrived");
    assertThat(run("--no-follow", "-i", server.url("/old"))).isZero();
    assertThat(stdout()).startsWith("HTTP/1.1 302");
    assertThat(run("--max-redirs", "1", server.url("/old"))).isZero();
    assertThat(stdout()).isEqualTo("arrived");
    assertThat(run("--max-redirs", "0", server.url("/old"))).isEqualTo(47);
  }

  @Test
  void endlessRedirectsExitWithFortySeven() throws IOException {
    server.dispatcher(request -> ScriptedResponse.builder().status(302)
        .header("Location", "/loop" + request.sequenceNumber()).build());
    server.start();
    assertThat(run(server.url("/"))).isEqualTo(47);
    assertThat(stderr()).contains("Too many follow-up requests");
  }

  @Test
  void tlsServerIsTrustedThroughCacertOrInsecure() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("CLI Test CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    server.useHttps(authority.serverContext(certificate));
    server.protocols(List.of("h2", "http/1.1"));
    server.dispatcher(request -> ScriptedResponse.builder().body("over " + request.version()).build());
    server.start();
    String url = "https://localhost:" + server.port() + "/";

    assertThat(run(url)).isEqualTo(60);
    assertThat(stderr()).contains("the certificate of localhost is not trusted").contains("--cacert");

    Path ca = directory.resolve("ca.pem");
    Files.writeString(ca, authority.certificatePem());
    assertThat(run("--cacert", ca.toString(), url)).isZero();
    assertThat(stdout()).isEqualTo("over HTTP/2");
    assertThat(run("--cacert", ca.toString(), "--http1.1", url)).isZero();
    assertThat(stdout()).isEqualTo("over HTTP/1.1");

    assertThat(run("-k", url)).isZero();
    assertThat(stdout()).isEqualTo("over HTTP/2");
    assertThat(stderr()).contains("warning: -k");
  }

  @Test
  void clientCertificateIsPresentedToAServerThatRequiresOne() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("CLI Client CA");
    IssuedCertificate serverCertificate = authority.issue("localhost", "127.0.0.1");
    IssuedCertificate clientCertificate = authority.issue("cli-client.example");
    Path file = directory.resolve("served.txt");
    Files.writeString(file, "for certified clients");
    Path ca = directory.resolve("ca.pem");
    Files.writeString(ca, authority.certificatePem());
    Path cert = directory.resolve("client.pem");
    Files.writeString(cert, clientCertificate.chainPem());
    Path key = directory.resolve("client.key");
    Files.writeString(key, clientCertificate.privateKeyPem());

    try (FileServer tls = FileServer.httpsRequiringClientCertificate(file,
        FileServer.serverContextTrusting(authority, serverCertificate))) {
      String url = "https://localhost:" + tls.port() + "/";
      assertThat(run("--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(), url))
          .as(stderr()).isZero();
      assertThat(stdout()).isEqualTo("for certified clients");
      assertThat(tls.clientPrincipal.get()).contains("cli-client.example");
      tls.clientPrincipal.set(null);

      int refused = run("--cacert", ca.toString(), url);
      assertThat(refused).as(stderr()).isIn(35, 56);
      assertThat(tls.clientPrincipal.get()).isNull();

      Path both = directory.resolve("client-and-key.pem");
      Files.writeString(both, clientCertificate.chainPem() + clientCertificate.privateKeyPem());
      assertThat(run("--cacert", ca.toString(), "-E", both.toString(), url)).as(stderr()).isZero();

      assertThat(run("--cacert", ca.toString(), "--cert", cert.toString(), url)).isEqualTo(58);
      assertThat(stderr()).contains("could not use the client certificate").contains("BEGIN PRIVATE KEY");
      assertThat(run("--cacert", key.toString(), url)).isEqualTo(77);
      assertThat(stderr()).contains("could not use the authorities in " + key);
    }
  }

  @Test
  void http2PriorKnowledgeSpeaksH2c() throws IOException {
    server.protocols(List.of("h2c"));
    server.dispatcher(request -> ScriptedResponse.builder().body("over " + request.version()).build());
    server.start();
    assertThat(run("--http2-prior-knowledge", server.url("/"))).isZero();
    assertThat(stdout()).isEqualTo("over HTTP/2");
  }

  /** A peer that answers with the bytes it is given, for responses the test server will not send. */
  static ServerSocket rawPeer(byte[] response) throws IOException {
    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(() -> {
      try (Socket accepted = socket.accept()) {
        accepted.getInputStream().read(new byte[8192]);
        accepted.getOutputStream().write(response);
      } catch (IOException ignored) {
        // The test closed the socket.
      }
    }, "raw-peer");
    thread.setDaemon(true);
    thread.start();
    return socket;
  }

  @Test
  void bodyShorterThanPromisedFailsWithAReceiveError() throws IOException {
    byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this".getBytes(StandardCharsets.US_ASCII);
    try (ServerSocket peer = rawPeer(response)) {
      int code = run("http://127.0.0.1:" + peer.getLocalPort() + "/");
      assertThat(code).isEqualTo(56);
      assertThat(stdout()).isEqualTo("only this");
      assertThat(stderr()).startsWith("courier: ").doesNotContain("Exception");
    }
  }

  private String webSocketUrl() throws IOException {
    server.start();
    server.enqueue(ScriptedResponse.builder().webSocket().build());
    return server.url("/echo").replace("http:", "ws:");
  }

  @Test
  void webSocketSendsStandardInputLinesAndPrintsTheMessages() throws IOException {
    stdin = "hello\nwörld\n\nlast line without a break".getBytes(StandardCharsets.UTF_8);
    assertThat(run(webSocketUrl())).as(stderr()).isZero();
    assertThat(stdout()).isEqualTo("hello\nwörld\n\nlast line without a break\n");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void verboseWebSocketShowsTheHandshakeExtensionsAndTheClose() throws IOException {
    stdin = "hi\n".getBytes(StandardCharsets.UTF_8);
    assertThat(run("-v", webSocketUrl())).as(stderr()).isZero();
    assertThat(stdout()).isEqualTo("hi\n");
    assertThat(stderr()).contains("> GET /echo", "> Upgrade: websocket",
        "> Sec-WebSocket-Extensions: permessage-deflate", "< http/1.1 101",
        "* WebSocket open; extensions: none; over HTTP/1.1 upgrade", "* end of input: closing with 1000",
        "* server closing with 1000", "* WebSocket closed");
    assertThat(stderr()).contains("switched protocols: WebSocket over HTTP/1.1 upgrade")
        .doesNotContain("body read, -1 bytes");
  }

  @Test
  void webSocketTransportNamesTheUpgradeOrTheExtendedConnect() {
    assertThat(WebSocketSession.transport(Protocol.HTTP_1_1)).isEqualTo("HTTP/1.1 upgrade");
    assertThat(WebSocketSession.transport(Protocol.HTTP_2)).isEqualTo("HTTP/2 extended CONNECT");
    assertThat(WebSocketSession.transport(Protocol.H2_PRIOR_KNOWLEDGE)).isEqualTo("HTTP/2 extended CONNECT");
  }

  @Test
  void webSocketClosedByTheServerWithAnErrorCodeExitsWithFailure() throws IOException {
    stdin = "before\nclose:4000:going away now\n".getBytes(StandardCharsets.UTF_8);
    assertThat(run(webSocketUrl())).isEqualTo(1);
    assertThat(stdout()).isEqualTo("before\n");
    assertThat(stderr()).contains("courier: the server closed the WebSocket with 4000 (going away now)");
  }

  @Test
  void webSocketRefusedByTheServerReportsTheStatus() throws IOException {
    server.start();
    server.enqueue(ScriptedResponse.builder().status(404).body("no sockets here").build());
    assertThat(run(server.url("/nothing").replace("http:", "ws:"))).isEqualTo(56);
    assertThat(stderr()).contains("Expected HTTP 101 response from 127.0.0.1:").contains("404");
  }

  @Test
  void webSocketUrlRefusesBodyAndOutputOptions() {
    assertThat(run("-d", "x", "ws://127.0.0.1:1/")).isEqualTo(2);
    assertThat(stderr()).contains("drop -d, --data-binary, --json, -I and -X");
    err = null;
    assertThat(run("-o", "file", "wss://127.0.0.1:1/")).isEqualTo(2);
    assertThat(stderr()).contains("drop -o, -O and -n");
  }

  @Test
  void malformedWebSocketUrlExitsWith3() {
    assertThat(run("ws://")).isEqualTo(3);
    assertThat(stderr()).contains("malformed URL");
  }
}
