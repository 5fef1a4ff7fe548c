package dev.courier.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.courier.Credentials;
import dev.courier.ForwardingRequestBody;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.chain.CourierClient;
import dev.courier.http1.UnixSocketConnectionProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ForwardingSink;
import okio.Okio;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Fetches a URL from the command line, like curl: {@code courier [options] URL}. With no URL it
 * runs {@link Demo} against an embedded local HTTPS server.
 *
 * <p>The body goes to standard output (or {@code -o FILE}, or the URL's file name with {@code -O})
 * byte for byte as received, after transparent decompression, streamed in constant memory.
 * Messages, the verbose trace and the progress meter go to standard error. Exit codes follow
 * curl's; see {@link ExitCode}.
 */
@Command(name = "courier", sortOptions = false, usageHelpAutoWidth = true,
    versionProvider = CourierCli.Version.class,
    description = {
      "Fetches URL with Courier and writes the body, exactly as received, to standard output.",
      "With no URL, runs a demo against an embedded local HTTPS server.",
      "Redirects are followed by default (up to 20); --no-follow returns the 3xx response.",
      "A ws:// or wss:// URL opens a WebSocket: each line of standard input is sent as a text",
      "message and each message received is printed; the end of input closes it (code 1000)."},
    footerHeading = "%n",
    footer = {
      "Exit codes (curl's numbers):",
      "   0  success (any HTTP status without -f)",
      "   1  another failure",
      "   2  bad usage",
      "   3  malformed URL",
      "   6  could not resolve the host",
      "   7  could not connect",
      "  22  HTTP status 400 or above, with -f",
      "  23  could not write the output",
      "  26  could not read a file to send",
      "  28  timed out",
      "  35  TLS handshake failed",
      "  47  too many redirects",
      "  56  failure receiving data",
      "  58  could not use the client certificate or key",
      "  60  the server's certificate is not trusted",
      "  77  could not read the authorities of --cacert"})
public final class CourierCli implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
      description = "http or https URL; a ws or wss URL opens a WebSocket that sends standard"
          + " input line by line and prints the messages received")
  String url;

  @Option(names = {"-X", "--request"}, paramLabel = "METHOD",
      description = "method (default GET; POST with a body; HEAD with -I)")
  String method;

  @Option(names = {"-d", "--data"}, paramLabel = "DATA",
      description = "send DATA as a form body; @FILE reads a file (@- standard input) without its"
          + " line breaks; repeated values are joined with &")
  List<String> data = new ArrayList<>();

  @Option(names = "--data-binary", paramLabel = "DATA",
      description = "send DATA, or the bytes of @FILE, exactly")
  List<String> dataBinary = new ArrayList<>();

  @Option(names = "--json", paramLabel = "DATA",
      description = "send DATA (or @FILE) as JSON: sets Content-Type and Accept; pretty-prints a"
          + " JSON response when standard output is a terminal")
  List<String> json = new ArrayList<>();

  @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "add a request header")
  List<String> headers = new ArrayList<>();

  @Option(names = {"-A", "--user-agent"}, paramLabel = "NAME", description = "User-Agent to send")
  String userAgent;

  @Option(names = {"-e", "--referer"}, paramLabel = "URL", description = "Referer to send")
  String referer;

  @Option(names = {"-u", "--user"}, paramLabel = "USER:PASSWORD",
      description = "send basic authentication credentials")
  String user;

  @Option(names = {"-i", "--include"}, description = "write the status line and headers before the body")
  boolean include;

  @Option(names = {"-I", "--head"}, description = "send HEAD and write the status line and headers")
  boolean head;

  @Option(names = {"-L", "--location"}, description = "follow redirects (the default)")
  boolean location;

  @Option(names = {"--no-follow", "--no-location"}, description = "do not follow redirects")
  boolean noFollow;

  @Option(names = "--max-redirs", paramLabel = "N", description = "follow at most N redirects (default 20)")
  Integer maxRedirects;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", converter = SecondsConverter.class,
      description = "connect timeout, fractions allowed (default 10)")
  Duration connectTimeout;

  @Option(names = "--read-timeout", paramLabel = "SECONDS", converter = SecondsConverter.class,
      description = "longest wait for data (default 10)")
  Duration readTimeout;

  @Option(names = {"-m", "--max-time", "--timeout"}, paramLabel = "SECONDS", converter = SecondsConverter.class,
      description = "limit on the whole transfer (default none)")
  Duration maxTime;

  @Option(names = {"-k", "--insecure"}, description = "do not check the server's certificate (warns)")
  boolean insecure;

  @Option(names = "--cacert", paramLabel = "FILE", description = "trust the authorities in this PEM file")
  Path caCertificates;

  @Option(names = {"-E", "--cert"}, paramLabel = "FILE", description = "client certificate chain (PEM)")
  Path clientCertificate;

  @Option(names = "--key", paramLabel = "FILE",
      description = "client private key (PEM, PKCS#8 or PKCS#1 RSA; default: in --cert)")
  Path clientKey;

  @Option(names = {"--http1.1", "--http1"}, description = "speak only HTTP/1.1")
  boolean http1;

  @Option(names = "--http2", description = "offer HTTP/2 and HTTP/1.1 by ALPN (the default for https)")
  boolean http2;

  @Option(names = {"--http2-prior-knowledge", "--h2c"},
      description = "speak HTTP/2 without negotiating (h2c on http URLs)")
  boolean http2PriorKnowledge;

  @Option(names = "--unix-socket", paramLabel = "PATH",
      description = "connect to the Unix domain socket PATH instead of TCP (http URLs, HTTP/1.1)")
  String unixSocket;

  @Option(names = "--codec", paramLabel = "PROTOCOL=NAME",
      description = "use the codec provider NAME for PROTOCOL (such as http/1.1=courier-http1)")
  Map<String, String> codecs = new LinkedHashMap<>();

  @Option(names = "--route-selector", paramLabel = "NAME", description = "use the route selector provider NAME")
  String routeSelector;

  @Option(names = "--pool-policy", paramLabel = "NAME", description = "use the pool eviction policy provider NAME")
  String poolPolicy;

  @Option(names = "--provider-setting", paramLabel = "PROVIDER:KEY=VALUE",
      description = "give the provider PROVIDER the setting KEY=VALUE")
  List<String> providerSettings = new ArrayList<>();

  @Option(names = "--list-providers",
      description = "list the providers found for each plug-in point, with priorities, and which won")
  boolean listProviders;

  @Option(names = {"-v", "--verbose"},
      description = "trace connections, TLS, timings and headers on standard error")
  boolean verbose;

  @Option(names = "--cache", paramLabel = "DIR", description = "use an HTTP cache in DIR (50 MiB)")
  File cacheDirectory;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the body to FILE")
  Path output;

  @Option(names = {"-O", "--remote-name"}, description = "write the body to a file named like the URL's last segment")
  boolean remoteName;

  @Option(names = {"-f", "--fail"}, description = "exit 22, writing no body, on HTTP status 400 or above")
  boolean fail;

  @Option(names = {"-s", "--silent"}, description = "no progress meter and no error messages")
  boolean silent;

  @Option(names = {"-S", "--show-error"}, description = "with -s, still show error messages")
  boolean showError;

  @Option(names = {"-n", "--repeat"}, paramLabel = "N", description = "send the request N times on one client")
  int repeat = 1;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "show the version")
  boolean version;

  private final CliConsole console;

  CourierCli(CliConsole console) {
    this.console = console;
  }

  /** Runs the client with {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    int code = run(args, CliConsole.system());
    // Dispatcher and pool threads are daemons, but end promptly anyway.
    System.exit(code);
  }

  /** Runs the client with {@code args} on {@code console} and returns the exit code. */
  static int run(String[] args, CliConsole console) {
    CourierCli cli = new CourierCli(console);
    CommandLine commandLine = new CommandLine(cli)
        .setOut(new PrintWriter(new java.io.OutputStreamWriter(console.out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(console.err, true))
        .setParameterExceptionHandler((e, arguments) -> {
          console.err.println("courier: " + e.getMessage());
          console.err.println("Try 'courier --help' for the options.");
          return ExitCode.USAGE;
        })
        .setExecutionExceptionHandler((e, commandLine1, parseResult) -> cli.report(e, null));
    // "@FILE" belongs to -d and friends, as in curl, not to picocli's argument files.
    commandLine.setExpandAtFiles(false);
    commandLine.setUsageHelpWidth(Math.min(120, console.columns));
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    String usageError = usageError();
    if (usageError != null) {
      console.err.println("courier: " + usageError);
      console.err.println("Try 'courier --help' for the options.");
      return ExitCode.USAGE;
    }
    if (listProviders) {
      try (CourierClient client = client()) {
        ProviderListing.print(client, new PrintStream(console.out, true, StandardCharsets.UTF_8));
        return ExitCode.OK;
      } catch (IOException | RuntimeException e) {
        return report(e, null);
      }
    }
    if (url == null) {
      try {
        Demo.run(new PrintStream(console.out, true, StandardCharsets.UTF_8));
        return ExitCode.OK;
      } catch (IOException | RuntimeException e) {
        return report(e, null);
      }
    }
    boolean webSocket = url.regionMatches(true, 0, "ws:", 0, 3)
        || url.regionMatches(true, 0, "wss:", 0, 4);
    if (webSocket && webSocketUsageError() != null) {
      console.err.println("courier: " + webSocketUsageError());
      console.err.println("Try 'courier --help' for the options.");
      return ExitCode.USAGE;
    }
    HttpUrl parsed;
    try {
      // ws and wss name http and https (RFC 6455 section 3).
      parsed = HttpUrl.parse(!webSocket ? url : url.regionMatches(true, 0, "wss:", 0, 4)
          ? "https:" + url.substring(4) : "http:" + url.substring(3));
    } catch (IllegalArgumentException e) {
      error("malformed URL: " + e.getMessage());
      return ExitCode.MALFORMED_URL;
    }
    if (webSocket) {
      return webSocket(parsed);
    }
    try (CourierClient client = client()) {
      Request request = request(parsed);
      int result = ExitCode.OK;
      for (int i = 0; i < repeat && result == ExitCode.OK; i++) {
        result = fetch(client, request);
      }
      return result;
    } catch (IOException | RuntimeException e) {
      return report(e, parsed.host());
    }
  }

  /** Returns what is wrong with the combination of options, or null. */
  private String usageError() {
    int versions = (http1 ? 1 : 0) + (http2 ? 1 : 0) + (http2PriorKnowledge ? 1 : 0);
    if (versions > 1) return "choose one of --http1.1, --http2 and --http2-prior-knowledge";
    if (location && noFollow) return "-L and --no-follow exclude each other";
    if (output != null && remoteName) return "-o and -O exclude each other";
    if (repeat < 1) return "-n needs a positive whole number, not " + repeat;
    if (maxRedirects != null && maxRedirects < 0) return "--max-redirs needs a number of 0 or more";
    if (clientKey != null && clientCertificate == null) return "--key needs --cert";
    if (unixSocket != null && (http2 || http2PriorKnowledge)) {
      return "--unix-socket speaks HTTP/1.1: drop --http2 and --http2-prior-knowledge";
    }
    if (head && (!data.isEmpty() || !dataBinary.isEmpty() || !json.isEmpty())) {
      return "-I sends no body: drop -d, --data-binary and --json";
    }
    return null;
  }

  /** Returns why the options do not fit a WebSocket URL, or null. */
  private String webSocketUsageError() {
    if (!data.isEmpty() || !dataBinary.isEmpty() || !json.isEmpty() || head || method != null) {
      return "a ws:// or wss:// URL sends standard input: drop -d, --data-binary, --json, -I and -X";
    }
    if (output != null || remoteName || repeat != 1) {
      return "a ws:// or wss:// URL prints messages to standard output: drop -o, -O and -n";
    }
    return null;
  }

  /** Runs a WebSocket session on {@code parsed} (already mapped to http or https). */
  private int webSocket(HttpUrl parsed) {
    try (CourierClient client = client()) {
      Request request = new Request.Builder().url(parsed).headers(requestHeaders()).build();
      return new WebSocketSession(console, verbose).run(client, request, parsed.host());
    } catch (IOException | RuntimeException e) {
      return report(e, parsed.host());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return report(new java.io.InterruptedIOException("interrupted"), parsed.host());
    }
  }

  /** Prints the failure (unless silenced) and returns its exit code. */
  private int report(Exception failure, String host) {
    ExitCode exit = ExitCode.of(failure, host != null ? host : "the server");
    error(exit.message);
    return exit.code;
  }

  /** Prints {@code message} on standard error, unless {@code -s} silenced errors without {@code -S}. */
  private void error(String message) {
    if (!silent || showError) {
      console.err.println("courier: " + message);
    }
  }

  CourierClient client() throws IOException {
    CourierClient.Builder builder = CourierClient.builder().followRedirects(!noFollow);
    if (maxRedirects != null) builder.maxFollowUps(maxRedirects);
    if (verbose) {
      builder.eventListenerFactory(new CallTrace(console.err, true).asFactory());
    }
    if (http1) {
      builder.protocols(List.of(Protocol.HTTP_1_1));
    } else if (http2PriorKnowledge) {
      builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    }
    configureProviders(builder);
    if (connectTimeout != null) builder.connectTimeout(connectTimeout);
    if (readTimeout != null) builder.readTimeout(readTimeout);
    if (maxTime != null) builder.callTimeout(maxTime);
    if (insecure || caCertificates != null || clientCertificate != null) {
      if (insecure) {
        error("warning: -k: the server's certificate and host name are not checked; anyone on"
            + " the path can read and change this traffic");
      }
      CliTls tls = CliTls.create(caCertificates, insecure, clientCertificate, clientKey);
      builder.sslSocketFactory(tls.context.getSocketFactory(), tls.trustManager);
      if (insecure) builder.hostnameVerifier((hostname, session) -> true);
    }
    if (cacheDirectory != null) {
      builder.cache(new Cache(cacheDirectory, 50L * 1024 * 1024));
    }
    return builder.build();
  }

  /** Applies --unix-socket, --codec, --route-selector, --pool-policy and --provider-setting. */
  private void configureProviders(CourierClient.Builder builder) {
    if (unixSocket != null) {
      builder.protocolProvider(Protocol.HTTP_1_1, UnixSocketConnectionProvider.NAME);
      builder.providerSetting(UnixSocketConnectionProvider.NAME, UnixSocketConnectionProvider.PATH, unixSocket);
    }
    for (Map.Entry<String, String> codec : codecs.entrySet()) {
      builder.protocolProvider(protocol(codec.getKey()), codec.getValue());
    }
    if (routeSelector != null) builder.routeSelectorName(routeSelector);
    if (poolPolicy != null) builder.evictionPolicyName(poolPolicy);
    for (String setting : providerSettings) {
      int colon = setting.indexOf(':');
      int equals = setting.indexOf('=', colon + 1);
      if (colon < 1 || equals < colon + 2) {
        throw new IllegalArgumentException("--provider-setting needs PROVIDER:KEY=VALUE, not '" + setting + "'");
      }
      builder.providerSetting(setting.substring(0, colon), setting.substring(colon + 1, equals),
          setting.substring(equals + 1));
    }
  }

  /** Returns the protocol with ALPN id {@code id}: a known one, or one a provider announces. */
  private static Protocol protocol(String id) {
    try {
      return Protocol.get(id);
    } catch (IOException unknown) {
      return Protocol.of(id, false);
    }
  }

  Request request(HttpUrl parsed) throws IOException {
    Headers.Builder extra = requestHeaders().newBuilder();
    if (!json.isEmpty()) {
      if (extra.build().get("Content-Type") == null) extra.set("Content-Type", "application/json");
      if (extra.build().get("Accept") == null) extra.set("Accept", "application/json");
    }
    Headers requestHeaders = extra.build();
    RequestBody body = body(requestHeaders.get("Content-Type"));
    String verb = method != null ? method : head ? "HEAD" : body != null ? "POST" : "GET";
    if (body == null && requiresBody(verb)) {
      body = RequestBody.create(new byte[0], null);
    }
    if (body != null) {
      body = new ProgressRequestBody(body, progress("up"));
    }
    return new Request.Builder().url(parsed).headers(requestHeaders).method(verb, body).build();
  }

  /** Returns the headers of -H, -A, -e and -u. */
  private Headers requestHeaders() {
    Headers.Builder extra = new Headers.Builder();
    for (String header : headers) {
      extra.add(header);
    }
    if (userAgent != null) extra.set("User-Agent", userAgent);
    if (referer != null) extra.set("Referer", referer);
    if (user != null && extra.build().get("Authorization") == null) {
      int colon = user.indexOf(':');
      extra.set("Authorization", colon == -1 ? Credentials.basic(user, "")
          : Credentials.basic(user.substring(0, colon), user.substring(colon + 1)));
    }
    return extra.build();
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** Returns the request body the data options describe, or null if they give none. */
  private RequestBody body(String contentType) throws IOException {
    if (data.isEmpty() && dataBinary.isEmpty() && json.isEmpty()) return null;
    MediaType type = MediaType.parse(contentType != null ? contentType : "application/x-www-form-urlencoded");
    // A single file sent as it is streams from disk; anything else is assembled in memory.
    List<String> exact = new ArrayList<>(dataBinary);
    exact.addAll(json);
    if (data.isEmpty() && exact.size() == 1 && exact.get(0).startsWith("@")
        && !exact.get(0).equals("@-")) {
      File file = new File(exact.get(0).substring(1));
      if (!file.canRead()) {
        throw new ExitCode.InputFailure("could not read " + file, new IOException(file.toString()));
      }
      return RequestBody.create(file, type);
    }
    Buffer content = new Buffer();
    for (String value : data) {
      if (content.size() > 0) content.writeByte('&');
      byte[] bytes = dataValue(value);
      for (byte b : bytes) {
        if (b != '\r' && b != '\n') content.writeByte(b);
      }
    }
    for (String value : exact) {
      if (content.size() > 0 && !data.isEmpty()) content.writeByte('&');
      content.write(dataValue(value));
    }
    return RequestBody.create(content.readByteArray(), type);
  }

  /** Returns the bytes of a data option: the text itself, or the contents of {@code @FILE}. */
  private byte[] dataValue(String value) throws IOException {
    if (!value.startsWith("@")) return value.getBytes(StandardCharsets.UTF_8);
    String name = value.substring(1);
    try {
      if (name.equals("-")) return console.in.readAllBytes();
      return Files.readAllBytes(Path.of(name));
    } catch (IOException e) {
      throw new ExitCode.InputFailure("could not read " + (name.equals("-") ? "standard input" : name)
          + ": " + ExitCode.messageOf(e), e);
    }
  }

  private TransferProgress progress(String label) {
    boolean enabled = console.errIsTerminal && !silent && !verbose;
    return new TransferProgress(console.err, enabled, System::nanoTime, label, console.columns);
  }

  /** Makes one call and writes its response; returns the exit code. */
  private int fetch(CourierClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      if (fail && response.code() >= 400) {
        error("the server answered " + response.code()
            + (response.message().isEmpty() ? "" : " " + response.message()) + " for "
            + request.url().redact());
        return ExitCode.HTTP_ERROR;
      }
      // Every failure to write, flush or close the output surfaces as an OutputFailure (exit 23).
      OutputStream destination = openOutput(request.url());
      OutputStream target = new ExitCode.OutputFailures(destination);
      try {
        BufferedSink sink = Okio.buffer(Okio.sink(target));
        if (include || head) {
          writeHead(response, sink);
        }
        if (!head) {
          writeBody(response, sink);
        }
        sink.flush();
      } finally {
        if (destination != console.out) target.close();
      }
      return ExitCode.OK;
    }
  }

  private OutputStream openOutput(HttpUrl requestUrl) throws IOException {
    Path file = output;
    if (remoteName) {
      List<String> segments = requestUrl.pathSegments();
      String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
      if (last.isEmpty() || last.equals(".") || last.equals("..") || last.indexOf('/') != -1) {
        throw new ExitCode.OutputFailure(new IOException("the URL has no file name for -O; use -o FILE"));
      }
      file = Path.of(last);
    }
    if (file == null || file.toString().equals("-")) return console.out;
    try {
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new ExitCode.OutputFailure(new IOException("cannot open " + file + ": " + ExitCode.messageOf(e), e));
    }
  }

  private static void writeHead(Response response, BufferedSink sink) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(response.protocol() == Protocol.HTTP_1_1 ? "HTTP/1.1" : "HTTP/2").append(' ')
        .append(response.code());
    if (!response.message().isEmpty()) head.append(' ').append(response.message());
    head.append("\r\n");
    Headers headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      head.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
    }
    head.append("\r\n");
    sink.writeUtf8(head.toString());
  }

  private void writeBody(Response response, BufferedSink sink) throws IOException {
    MediaType type = response.body().contentType();
    if (!json.isEmpty() && console.outIsTerminal && output == null && !remoteName && type != null
        && type.subtype().toLowerCase(java.util.Locale.ROOT).contains("json")) {
      writePrettyJson(response, sink);
      return;
    }
    TransferProgress progress = progress("down");
    progress.start(response.body().contentLength());
    BufferedSource source = response.body().source();
    Buffer buffer = new Buffer();
    // A person watching a terminal sees the body as it arrives; files and pipes get full buffers.
    boolean flushEachRead = console.outIsTerminal && output == null && !remoteName;
    try {
      while (true) {
        long read;
        try {
          read = source.read(buffer, 64 * 1024);
        } catch (IOException e) {
          flushQuietly(sink); // Keep what did arrive, as curl does.
          throw e;
        }
        if (read == -1) break;
        sink.write(buffer, read);
        if (flushEachRead) sink.flush();
        progress.advance(read);
      }
    } finally {
      progress.finish();
    }
  }

  private static void flushQuietly(BufferedSink sink) {
    try {
      sink.flush();
    } catch (IOException ignored) {
      // The read failure is the one to report.
    }
  }

  private static void writePrettyJson(Response response, BufferedSink sink) throws IOException {
    byte[] bytes = response.body().bytes();
    byte[] pretty;
    try {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      JsonNode tree = mapper.readTree(bytes);
      pretty = (mapper.writeValueAsString(tree) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException notJson) {
      pretty = bytes; // Not valid JSON after all: show it as it came.
    }
    sink.write(pretty);
  }

  /** Reads {@code --connect-timeout 2.5} and the like as a duration. */
  static final class SecondsConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      double seconds;
      try {
        seconds = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a number of seconds");
      }
      if (!(seconds > 0) || seconds > Long.MAX_VALUE / 1_000_000_000L) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a positive number of seconds");
      }
      return Duration.ofNanos((long) (seconds * 1e9));
    }
  }

  /** Prints Courier's version, and the Java it runs on. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      String version = "development";
      try (InputStream in = CourierCli.class.getResourceAsStream(
          "/META-INF/maven/dev.courier/courier-examples/pom.properties")) {
        if (in != null) {
          Properties properties = new Properties();
          properties.load(in);
          version = properties.getProperty("version", version);
        }
      }
      return new String[] {
        "courier " + version,
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }

  /** Counts a request body's bytes into an upload progress meter as they are written. */
  private static final class ProgressRequestBody extends ForwardingRequestBody {
    private final TransferProgress progress;

    ProgressRequestBody(RequestBody delegate, TransferProgress progress) {
      super(delegate);
      this.progress = progress;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      progress.start(delegate().contentLength());
      BufferedSink counting = Okio.buffer(new ForwardingSink(sink) {
        @Override
        public void write(Buffer source, long byteCount) throws IOException {
          super.write(source, byteCount);
          progress.advance(byteCount);
        }
      });
      try {
        delegate().writeTo(counting);
        counting.emit();
      } finally {
        progress.finish();
      }
    }
  }
}
