package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Measures what the JDK's TLS read path costs per GiB, and what other ways of driving the same
 * JDK TLS implementation would cost: the upper bound of a cheaper TLS transport, before building one.
 *
 * <p>Serves one file over HTTP/1.1 with TLS from nginx configured as {@link BulkTransferBenchmark}'s
 * {@code h1-tls} scenario (the same test CA and certificate, {@code worker_processes 1}, nginx's
 * default 16 KiB records, TLS 1.2 with {@link BulkTransferBenchmark#TLS_CIPHERS} preferred; nginx
 * also offers AES-128-GCM here, for variants restricted to it), and downloads it in fresh child JVMs, one per variant and round, the
 * order rotating each round, nginx pinned to core 0 and the child to core 1. Each child makes a
 * warm-up download and then the measured one on the same connection, reading the body into a
 * 64 KiB array, and reports its whole process's CPU time over the measured download. Variants:
 *
 * <ul>
 *   <li>{@code socket}: an {@link SSLSocket} layered over a connected socket, as Courier's TLS
 *       transport does (the JDK reads each record with two reads: its 5-byte header, then its body);
 *   <li>{@code socket-buffered}: the same over a socket whose input stream is a 64 KiB
 *       {@link BufferedInputStream};
 *   <li>{@code engine}: an {@link SSLEngine} over the socket's streams, reading up to 64 KiB per
 *       read into one heap buffer and unwrapping its records straight into the caller's array when
 *       the array has room for a whole record;
 *   <li>{@code engine-channel}: the same over a blocking {@link SocketChannel} into a direct buffer;
 *   <li>{@code curl}: curl's download of the same file, for reference (its whole process's CPU);
 *   <li>{@code courier}: {@link BulkTransferClient}'s Courier download of the same file, for reference.
 * </ul>
 *
 * <p>Usage: {@code TlsReadPathProbe [--size-mib 1024] [--warmup-mib 128] [--rounds 4]
 * [--variants socket,socket-buffered,engine,engine-channel,curl,courier] [--jvm-arg ARG]...}. A
 * variant written {@code NAME/SUITE} offers only that cipher suite (a JDK suite name for the
 * probe's own variants, an OpenSSL one for curl, e.g. {@code socket/TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
 * and {@code curl/ECDHE-ECDSA-AES128-GCM-SHA256}); {@code --jvm-arg} goes to every Java child, e.g.
 * a profiler's. Needs nginx and curl. Prints one line per run, then a table of medians [min-max]
 * and of CPU ratios to the first variant listed, taken within each round, then the protocol and
 * cipher suite of every request as nginx logged them, by user agent (the probe's children send none).
 */
public final class TlsReadPathProbe {
  private static final List<String> VARIANTS =
      List.of("socket", "socket-buffered", "engine", "engine-channel", "curl", "courier");
  private static final int ARRAY = 64 * 1024;

  private TlsReadPathProbe() {}

  /** Runs the probe as {@code args} describe, or (with {@code --child}) one variant's downloads. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Integer.parseInt(args[2]), Path.of(args[3]), args.length > 4 ? args[4] : null);
      return;
    }
    long sizeMib = 1024;
    long warmupMib = 128;
    int rounds = 4;
    List<String> variants = VARIANTS;
    List<String> jvmArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size-mib": sizeMib = Long.parseLong(args[++i]); break;
        case "--warmup-mib": warmupMib = Long.parseLong(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--variants": variants = List.of(args[++i].split(",")); break;
        case "--jvm-arg": jvmArgs.add(args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!VARIANTS.containsAll(variants.stream().map(v -> v.split("/")[0]).toList())
        || variants.stream().anyMatch(v -> v.startsWith("courier/"))) {
      throw new IllegalArgumentException("--variants must be among " + VARIANTS);
    }
    Path directory = Files.createTempDirectory("courier-tls-probe");
    Path www = Files.createDirectories(directory.resolve("www"));
    writeFile(www.resolve("bulk.bin"), sizeMib);
    writeFile(www.resolve("warmup.bin"), warmupMib);
    TestCertificateAuthority authority = TestCertificateAuthority.create("Benchmark CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    Path ca = directory.resolve("ca.pem");
    Files.writeString(ca, authority.certificatePem());
    int port = ExternalProcess.freePort();
    // The h1-tls server block of BulkTransferBenchmark, its cipher suite first, so clients that
    // offer it get it; a variant restricted to AES-128-GCM can have that too.
    Path tlsLog = directory.resolve("tls.log");
    String server = "  log_format tls '$ssl_protocol $ssl_cipher $http_user_agent';\n"
        + "  server { listen 127.0.0.1:" + port + " ssl;"
        + " ssl_certificate " + directory.resolve("cert.pem") + ";"
        + " ssl_certificate_key " + directory.resolve("key.pem") + ";"
        + " ssl_ciphers " + BulkTransferBenchmark.TLS_CIPHERS + ":ECDHE-ECDSA-AES128-GCM-SHA256;"
        + " ssl_prefer_server_ciphers on;"
        + " access_log " + tlsLog + " tls;"
        + " root " + www + "; }\n";
    boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && ExternalProcess.findExecutable("taskset") != null;
    List<Run> runs = new ArrayList<>();
    try (AutoCloseable removeFiles = () -> deleteTree(directory);
        NginxProcess nginx = NginxProcess.start(directory, server, port)) {
      if (pin) {
        ChildProcesses.run(List.of("taskset", "-apc", "0", String.valueOf(nginx.pid())), directory,
            Duration.ofMinutes(1));
      }
      System.out.printf(Locale.ROOT, "TLS read path, %d MiB after %d MiB, %s, %s%n", sizeMib, warmupMib,
          pin ? "nginx on core 0, client on core 1" : "not pinned", System.getProperty("java.vm.version"));
      System.out.println("curl reports: " + curlNegotiated(port, ca, directory));
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(variants);
        Collections.rotate(order, -(round - 1));
        for (String variant : order) {
          String name = variant.split("/")[0];
          String suite = variant.contains("/") ? variant.split("/")[1] : null;
          Run run = name.equals("curl") ? curl(round, variant, suite, port, ca, pin, directory)
              : name.equals("courier") ? courier(round, port, ca, jvmArgs, pin, directory)
              : java(round, variant, name, suite, port, ca, jvmArgs, pin, directory);
          long expected = sizeMib * 1024 * 1024;
          if (run.bytes != expected) {
            throw new IOException(variant + " read " + run.bytes + " bytes, expected " + expected);
          }
          System.out.printf(Locale.ROOT, "round %d %-50s %-40s %8.0f MiB/s %6.3f CPU s/GiB%n", round, variant,
              run.negotiated, run.mibPerSecond(), run.cpuSecondsPerGib());
          runs.add(run);
        }
      }
      printTable(runs, variants);
      System.out.println("\nnginx's log, requests by protocol, cipher suite and user agent:");
      Files.readAllLines(tlsLog).stream().collect(java.util.stream.Collectors.groupingBy(l -> l,
          java.util.TreeMap::new, java.util.stream.Collectors.counting()))
          .forEach((line, count) -> System.out.println("  " + count + " x " + line));
    }
  }

  private static void printTable(List<Run> runs, List<String> variants) {
    System.out.printf(Locale.ROOT, "%nmedian [min-max] over rounds; CPU ratios to %s within each round%n", variants.get(0));
    System.out.printf(Locale.ROOT, "%-50s %-22s %-22s %-22s%n", "variant", "MiB/s", "CPU s/GiB", "x first's CPU");
    for (String variant : variants) {
      List<Run> mine = runs.stream().filter(r -> r.variant.equals(variant)).toList();
      List<Double> ratios = new ArrayList<>();
      for (Run run : mine) {
        runs.stream().filter(r -> r.round == run.round && r.variant.equals(variants.get(0))).findFirst()
            .ifPresent(socket -> ratios.add(run.cpuSecondsPerGib() / socket.cpuSecondsPerGib()));
      }
      System.out.printf(Locale.ROOT, "%-50s %-22s %-22s %-22s%n", variant,
          BulkTransferStats.summarize(mine.stream().map(Run::mibPerSecond).toList()).format(0),
          BulkTransferStats.summarize(mine.stream().map(Run::cpuSecondsPerGib).toList()).format(3),
          ratios.isEmpty() ? "-" : BulkTransferStats.summarize(ratios).format(3));
    }
  }

  private record Run(int round, String variant, String negotiated, long bytes, long wallNanos, long cpuNanos) {
    double mibPerSecond() {
      return BulkTransferStats.mibPerSecond(bytes, wallNanos);
    }

    double cpuSecondsPerGib() {
      return BulkTransferStats.cpuSecondsPerGib(cpuNanos, bytes);
    }
  }

  private static Run java(int round, String variant, String name, String suite, int port, Path ca,
      List<String> jvmArgs, boolean pin, Path directory) throws Exception {
    List<String> command = new ArrayList<>();
    if (pin) {
      command.addAll(List.of("taskset", "-c", "1"));
    }
    command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", absoluteClassPath(), TlsReadPathProbe.class.getName(),
        "--child", name, String.valueOf(port), ca.toAbsolutePath().toString()));
    if (suite != null) {
      command.add(suite);
    }
    String output = ChildProcesses.run(command, directory, Duration.ofMinutes(5));
    String line = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
        .orElseThrow(() -> new IOException("no PROBE line: " + output));
    String[] fields = line.split(" ");
    return new Run(round, variant, fields[1] + " " + fields[2], Long.parseLong(fields[3]),
        Long.parseLong(fields[4]), Long.parseLong(fields[5]));
  }

  private static Run curl(int round, String variant, String suite, int port, Path ca, boolean pin, Path directory)
      throws Exception {
    String command = "curl -s -S -o /dev/null --http1.1 --cacert " + ca.toAbsolutePath()
        + (suite == null ? "" : " --ciphers " + suite)
        + " -w 'CURL %{size_download} %{time_total}\\n' https://localhost:" + port + "/bulk.bin && times";
    List<String> argv = new ArrayList<>();
    if (pin) {
      argv.addAll(List.of("taskset", "-c", "1"));
    }
    argv.addAll(List.of("bash", "-c", command));
    String output = ChildProcesses.run(argv, directory, Duration.ofMinutes(5));
    String[] fields = output.lines().filter(l -> l.startsWith("CURL ")).findFirst()
        .orElseThrow(() -> new IOException("no curl result: " + output)).split(" ");
    return new Run(round, variant, "(openssl)", Long.parseLong(fields[1]),
        Math.round(Double.parseDouble(fields[2]) * 1e9), BulkTransferStats.parseChildrenCpuNanos(output));
  }

  private static Run courier(int round, int port, Path ca, List<String> jvmArgs, boolean pin, Path directory)
      throws Exception {
    List<String> command = new ArrayList<>();
    if (pin) {
      command.addAll(List.of("taskset", "-c", "1"));
    }
    String base = "https://localhost:" + port;
    command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", absoluteClassPath(), BulkTransferClient.class.getName(), "--client", "courier",
        "--direction", "download", "--ca", ca.toAbsolutePath().toString(), "--url", base + "/bulk.bin",
        "--warmup-url", base + "/warmup.bin"));
    BulkTransferStats.ClientResult result =
        BulkTransferStats.parseClient(ChildProcesses.run(command, directory, Duration.ofMinutes(5)));
    return new Run(round, "courier", result.protocol(), result.bytes(), result.wallNanos(), result.cpuNanos());
  }

  /** Returns the protocol and cipher suite curl reports for a small request to nginx. */
  private static String curlNegotiated(int port, Path ca, Path directory) throws Exception {
    String output = ChildProcesses.run(List.of("curl", "-v", "-s", "-o", "/dev/null", "--http1.1", "--cacert",
        ca.toAbsolutePath().toString(), "https://localhost:" + port + "/warmup.bin", "-r", "0-0"), directory,
        Duration.ofMinutes(1));
    return output.lines().filter(l -> l.contains("SSL connection using")).findFirst().orElse("(not reported)")
        .replaceFirst(".*SSL connection using ", "");
  }

  // ---- the child: one variant, one warm-up download and one measured download ----

  private static void child(String variant, int port, Path ca, String suite) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new javax.net.ssl.TrustManager[] {BulkTransferClient.trustManager(ca)}, null);
    try (TlsStream stream = open(variant, context, port, suite)) {
      byte[] array = new byte[ARRAY];
      download(stream, "/warmup.bin", port, array);
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      long bytes = download(stream, "/bulk.bin", port, array);
      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      SSLSession session = stream.session();
      System.out.println("PROBE " + session.getProtocol() + " " + session.getCipherSuite() + " " + bytes + " "
          + wall + " " + cpu);
    }
  }

  private static TlsStream open(String variant, SSLContext context, int port, String suite) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    switch (variant) {
      case "socket":
      case "socket-buffered": {
        Socket raw = variant.equals("socket") ? new Socket() : new BufferedInputSocket();
        raw.connect(address);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        if (suite != null) {
          socket.setEnabledCipherSuites(new String[] {suite});
        }
        socket.startHandshake();
        return new SocketStream(socket);
      }
      case "engine": {
        Socket raw = new Socket();
        raw.connect(address);
        return new EngineStream(engine(context, port, suite), new StreamIo(raw), false);
      }
      case "engine-channel": {
        SocketChannel channel = SocketChannel.open(address);
        return new EngineStream(engine(context, port, suite), new ChannelIo(channel), true);
      }
      default: throw new IllegalArgumentException(variant);
    }
  }

  private static SSLEngine engine(SSLContext context, int port, String suite) {
    SSLEngine engine = context.createSSLEngine("localhost", port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName("localhost")));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (suite != null) {
      parameters.setCipherSuites(new String[] {suite});
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** Sends a GET for {@code path} and reads the response's body to its end; returns the body's length. */
  private static long download(TlsStream stream, String path, int port, byte[] array) throws IOException {
    stream.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    int filled = 0;
    int headEnd = -1;
    while (headEnd < 0) {
      int n = stream.read(array, filled, array.length - filled);
      if (n < 0) {
        throw new EOFException("end of stream in the response head");
      }
      filled += n;
      headEnd = indexOf(array, filled, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    String head = new String(array, 0, headEnd, StandardCharsets.US_ASCII);
    if (!head.startsWith("HTTP/1.1 200")) {
      throw new IOException("unexpected response: " + head);
    }
    long length = head.lines().filter(l -> l.regionMatches(true, 0, "content-length:", 0, 15)).findFirst()
        .map(l -> Long.parseLong(l.substring(15).trim())).orElseThrow(() -> new IOException("no length: " + head));
    long remaining = length - (filled - (headEnd + 4));
    while (remaining > 0) {
      int n = stream.read(array, 0, (int) Math.min(array.length, remaining));
      if (n < 0) {
        throw new EOFException(remaining + " bytes of the body missing");
      }
      remaining -= n;
    }
    return length;
  }

  private static int indexOf(byte[] array, int limit, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= limit; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (array[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A TLS connection's plaintext: read into an array, write an array, the session. */
  private interface TlsStream extends AutoCloseable {
    int read(byte[] array, int offset, int length) throws IOException;

    void write(byte[] bytes) throws IOException;

    SSLSession session();

    @Override
    void close() throws IOException;
  }

  private static final class SocketStream implements TlsStream {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketStream(SSLSocket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    @Override public int read(byte[] array, int offset, int length) throws IOException {
      return in.read(array, offset, length);
    }

    @Override public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    @Override public SSLSession session() {
      return socket.getSession();
    }

    @Override public void close() throws IOException {
      socket.close();
    }
  }

  /** A plain socket whose input stream is buffered, 64 KiB at a time, for an SSLSocket layered on it. */
  private static final class BufferedInputSocket extends Socket {
    private InputStream in;

    @Override public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new BufferedInputStream(super.getInputStream(), ARRAY);
      }
      return in;
    }
  }

  /** Moves ciphertext between a byte buffer and the network. */
  private interface NetIo extends AutoCloseable {
    /** Reads into {@code buffer} (write mode); returns the count or -1 at the end of the stream. */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes all of {@code buffer} (read mode). */
    void write(ByteBuffer buffer) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class StreamIo implements NetIo {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    StreamIo(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    @Override public int read(ByteBuffer buffer) throws IOException {
      int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      return n;
    }

    @Override public void write(ByteBuffer buffer) throws IOException {
      out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
    }

    @Override public void close() throws IOException {
      socket.close();
    }
  }

  private static final class ChannelIo implements NetIo {
    private final SocketChannel channel;

    ChannelIo(SocketChannel channel) {
      this.channel = channel;
    }

    @Override public int read(ByteBuffer buffer) throws IOException {
      return channel.read(buffer);
    }

    @Override public void write(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    @Override public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * An SSLEngine over a socket: ciphertext read up to 64 KiB at a time into one buffer, records
   * unwrapped straight into the caller's array while it has room for a whole record, else into a
   * plaintext buffer the next reads drain.
   */
  private static final class EngineStream implements TlsStream {
    private final SSLEngine engine;
    private final NetIo io;
    private final ByteBuffer net;
    private final ByteBuffer plain;
    private final ByteBuffer outNet;
    private final int recordRoom;

    EngineStream(SSLEngine engine, NetIo io, boolean direct) throws IOException {
      this.engine = engine;
      this.io = io;
      SSLSession session = engine.getSession();
      int netSize = Math.max(ARRAY, session.getPacketBufferSize());
      this.net = direct ? ByteBuffer.allocateDirect(netSize) : ByteBuffer.allocate(netSize);
      this.net.flip();
      this.plain = ByteBuffer.allocate(session.getApplicationBufferSize());
      this.plain.flip();
      this.outNet = ByteBuffer.allocate(session.getPacketBufferSize());
      this.recordRoom = session.getApplicationBufferSize();
      engine.beginHandshake();
      handshake();
    }

    /** Runs the handshake, or a post-handshake exchange, until the engine needs nothing more. */
    private void handshake() throws IOException {
      ByteBuffer scratch = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
      while (true) {
        switch (engine.getHandshakeStatus()) {
          case NEED_WRAP: {
            outNet.clear();
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), outNet);
            outNet.flip();
            io.write(outNet);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new SSLException("closed during the handshake");
            }
            break;
          }
          case NEED_UNWRAP: {
            SSLEngineResult result = engine.unwrap(net, scratch);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && fill() < 0) {
              throw new EOFException("end of stream during the handshake");
            } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new SSLException("closed during the handshake");
            }
            break;
          }
          case NEED_TASK: {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            break;
          }
          default:
            return;
        }
      }
    }

    /** Reads more ciphertext after what {@link #net} holds; returns the count or -1. */
    private int fill() throws IOException {
      net.compact();
      try {
        return io.read(net);
      } finally {
        net.flip();
      }
    }

    @Override public int read(byte[] array, int offset, int length) throws IOException {
      if (plain.hasRemaining()) {
        int n = Math.min(length, plain.remaining());
        plain.get(array, offset, n);
        return n;
      }
      boolean direct = length >= recordRoom;
      ByteBuffer destination = direct ? ByteBuffer.wrap(array, offset, length) : plain.clear();
      int start = destination.position();
      while (true) {
        SSLEngineResult result = engine.unwrap(net, destination);
        int produced = destination.position() - start;
        switch (result.getStatus()) {
          case CLOSED:
            if (produced == 0) {
              plain.limit(0);
              return -1;
            }
            return take(array, offset, length, produced, direct);
          case BUFFER_UNDERFLOW:
            if (produced > 0) {
              return take(array, offset, length, produced, direct);
            }
            if (fill() < 0) {
              plain.limit(0);
              throw new EOFException("end of stream without close_notify");
            }
            break;
          case BUFFER_OVERFLOW:
            if (produced == 0) {
              throw new IllegalStateException("no room for a record");
            }
            return take(array, offset, length, produced, direct);
          case OK:
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
                || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
              handshake();
            }
            if (produced > 0 && (!direct || destination.remaining() < recordRoom || !net.hasRemaining())) {
              return take(array, offset, length, produced, direct);
            }
            break;
          default:
            throw new IllegalStateException(result.toString());
        }
      }
    }

    /** Returns what the last unwraps produced, copying it out of {@link #plain} when they went there. */
    private int take(byte[] array, int offset, int length, int produced, boolean direct) {
      if (direct) {
        return produced;
      }
      plain.flip();
      int n = Math.min(length, plain.remaining());
      plain.get(array, offset, n);
      return n;
    }

    @Override public void write(byte[] bytes) throws IOException {
      ByteBuffer source = ByteBuffer.wrap(bytes);
      while (source.hasRemaining()) {
        outNet.clear();
        engine.wrap(source, outNet);
        outNet.flip();
        io.write(outNet);
      }
    }

    @Override public SSLSession session() {
      return engine.getSession();
    }

    @Override public void close() throws IOException {
      io.close();
    }
  }

  /** Returns this JVM's class path with absolute entries, as children run in another directory. */
  private static String absoluteClassPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static void writeFile(Path path, long mib) throws IOException {
    byte[] block = new byte[1024 * 1024];
    new Random(42).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long i = 0; i < mib; i++) {
        out.write(block);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
