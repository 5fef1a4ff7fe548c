package dev.courier.examples;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.chain.CourierClient;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a URL from the command line, like a small curl: {@code courier [options] URL}. With no
 * URL it runs {@link Demo} against an embedded local HTTPS server.
 */
public final class CourierCli {
  static final String USAGE = String.join("\n",
      "Usage: courier [options] [URL]",
      "  With no URL, runs a demo against an embedded local HTTPS server.",
      "Options:",
      "  -v, --verbose          show protocol, TLS, connection reuse and timings, and response headers",
      "  -X, --request METHOD   the method (default GET, or POST with --data)",
      "  -d, --data TEXT        send TEXT as the request body",
      "  -H, --header 'N: V'    add a request header (repeatable)",
      "  -n, --repeat N         send the request N times on one client (shows connection reuse)",
      "  -i, --include          print the status line and response headers",
      "      --http1            offer only HTTP/1.1",
      "      --h2c              speak HTTP/2 over cleartext with prior knowledge",
      "      --cache DIR        use an HTTP cache in DIR (10 MiB)",
      "      --no-follow        do not follow redirects",
      "      --timeout SECONDS  whole-call timeout (default: none)",
      "  -h, --help             this help");

  final List<String> headers = new ArrayList<>();
  String url;
  String method;
  String data;
  boolean verbose;
  boolean include;
  boolean http1;
  boolean h2c;
  boolean followRedirects = true;
  int repeat = 1;
  long timeoutSeconds;
  File cacheDirectory;

  private CourierCli() {}

  /** Runs the client with command-line {@code args}; exits with 1 on failure, 2 on bad usage. */
  public static void main(String[] args) {
    CourierCli cli;
    try {
      cli = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("courier: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (cli == null) {
      System.out.println(USAGE);
      return;
    }
    try {
      if (cli.url == null) {
        Demo.run(System.out);
      } else {
        cli.fetch(System.out);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("courier: " + e);
      System.exit(1);
    }
    System.exit(0); // Dispatcher and pool threads are daemons, but exit promptly anyway.
  }

  /** Parses {@code args}; returns null when help was asked for. */
  static CourierCli parse(String[] args) {
    CourierCli cli = new CourierCli();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h": case "--help": return null;
        case "-v": case "--verbose": cli.verbose = true; cli.include = true; break;
        case "-i": case "--include": cli.include = true; break;
        case "-X": case "--request": cli.method = value(args, ++i, arg); break;
        case "-d": case "--data": cli.data = value(args, ++i, arg); break;
        case "-H": case "--header": cli.headers.add(value(args, ++i, arg)); break;
        case "-n": case "--repeat": cli.repeat = positive(value(args, ++i, arg), arg); break;
        case "--http1": cli.http1 = true; break;
        case "--h2c": cli.h2c = true; break;
        case "--no-follow": cli.followRedirects = false; break;
        case "--cache": cli.cacheDirectory = new File(value(args, ++i, arg)); break;
        case "--timeout": cli.timeoutSeconds = positive(value(args, ++i, arg), arg); break;
        default:
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          if (cli.url != null) {
            throw new IllegalArgumentException("more than one URL: " + cli.url + ", " + arg);
          }
          HttpUrl.parse(arg); // Fails early with a clear message.
          cli.url = arg;
      }
    }
    if (cli.http1 && cli.h2c) {
      throw new IllegalArgumentException("--http1 and --h2c exclude each other");
    }
    return cli;
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int positive(String value, String option) {
    try {
      int result = Integer.parseInt(value);
      if (result > 0) {
        return result;
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, not " + value);
  }

  CourierClient client(PrintStream out) {
    CourierClient.Builder builder = CourierClient.builder().followRedirects(followRedirects);
    if (verbose) {
      builder.eventListenerFactory(new CallTrace(out).asFactory());
    }
    if (http1) {
      builder.protocols(List.of(Protocol.HTTP_1_1));
    } else if (h2c) {
      builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    }
    if (timeoutSeconds > 0) {
      builder.callTimeout(timeoutSeconds, TimeUnit.SECONDS);
    }
    if (cacheDirectory != null) {
      builder.cache(new Cache(cacheDirectory, 10L * 1024 * 1024));
    }
    return builder.build();
  }

  Request request() {
    Request.Builder builder = new Request.Builder().url(url);
    Headers.Builder extra = new Headers.Builder();
    for (String header : headers) {
      extra.add(header);
    }
    builder.headers(extra.build());
    String contentType = extra.build().get("Content-Type");
    RequestBody body = data == null ? null : RequestBody.create(data,
        MediaType.get(contentType != null ? contentType : "application/x-www-form-urlencoded"));
    builder.method(method != null ? method : body != null ? "POST" : "GET", body);
    return builder.build();
  }

  void fetch(PrintStream out) throws IOException {
    CourierClient client = client(out);
    Request request = request();
    for (int i = 0; i < repeat; i++) {
      try (Response response = client.newCall(request).execute()) {
        if (include) {
          out.println(response.protocol() + " " + response.code() + " " + response.message());
          out.print(response.headers());
          out.println();
        }
        out.print(response.body().string());
        out.flush();
      }
    }
  }
}
