package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.FormBody;
import dev.courier.MediaType;
import dev.courier.MultipartBody;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.Poll;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Puts form and multipart bodies on real sockets and checks the bytes the server receives. */
@Timeout(60)
class FormAndMultipartWireTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @TempDir
  Path directory;

  private static ScriptedResponse ok() {
    return ScriptedResponse.builder().body("ok").build();
  }

  private String post(TestServer server, RequestBody body) throws IOException {
    Request request = new Request.Builder().url(server.url("/submit")).post(body).build();
    try (Response response = chain.client().newCall(request).execute()) {
      return response.body().string();
    }
  }

  @Test
  void formBodyPutsItsExactBytesAndLengthOnTheWire() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ok());
    post(server, new FormBody.Builder().add("q", "Courier & co").add("lang", "français").build());

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.bodyUtf8()).isEqualTo("q=Courier+%26+co&lang=fran%C3%A7ais");
    assertThat(recorded.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(recorded.header("Content-Length")).isEqualTo("35");
    assertThat(recorded.header("Transfer-Encoding")).isNull();
  }

  @Test
  void multipartFormWithAFilePutsItsExactBytesAndLengthOnTheWire() throws Exception {
    Path file = directory.resolve("notes.txt");
    Files.writeString(file, "line one\r\n--not-a-boundary\r\n");
    TestServer server = chain.server();
    server.enqueue(ok());
    MultipartBody body = new MultipartBody.Builder("----courier1234")
        .setType(MultipartBody.FORM)
        .addFormDataPart("title", "Notes")
        .addFormDataPart("attachment", "notes.txt",
            RequestBody.create(file.toFile(), MediaType.get("text/plain; charset=utf-8")))
        .build();
    post(server, body);

    String expected = "------courier1234\r\n"
        + "Content-Disposition: form-data; name=\"title\"\r\n"
        + "\r\n"
        + "Notes\r\n"
        + "------courier1234\r\n"
        + "Content-Disposition: form-data; name=\"attachment\"; filename=\"notes.txt\"\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "\r\n"
        + "line one\r\n--not-a-boundary\r\n\r\n"
        + "------courier1234--\r\n";
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.bodyUtf8()).isEqualTo(expected);
    assertThat(recorded.header("Content-Type")).isEqualTo("multipart/form-data; boundary=----courier1234");
    assertThat(recorded.header("Content-Length")).isEqualTo(String.valueOf(expected.length()));
  }

  @Test
  void multipartOverHttp2SendsTheSameBytesAndLength() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ok());
    MultipartBody body = new MultipartBody.Builder("h2")
        .setType(MultipartBody.FORM)
        .addFormDataPart("a", "1")
        .addFormDataPart("b", "b.txt", RequestBody.create("two", MediaType.get("text/plain")))
        .build();
    Request request = new Request.Builder().url(server.url("/")).post(body).build();
    try (Response response = chain.client(H2c::priorKnowledge).newCall(request).execute()) {
      assertThat(response.protocol()).isEqualTo(dev.courier.Protocol.H2_PRIOR_KNOWLEDGE);
      assertThat(response.body().string()).isEqualTo("ok");
    }
    String expected = "--h2\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
        + "--h2\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.txt\"\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\ntwo\r\n--h2--\r\n";
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.bodyUtf8()).isEqualTo(expected);
    assertThat(recorded.header("content-length")).isEqualTo(String.valueOf(expected.length()));
  }

  @Test
  void multipartWithAPartOfUnknownLengthIsSentChunked() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ok());
    MultipartBody body = new MultipartBody.Builder("b")
        .addFormDataPart("known", "1")
        .addPart(new ChunkedPart(3, 5, false, null))
        .build();
    post(server, body);

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Content-Length")).isNull();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.bodyUtf8()).isEqualTo("--b\r\nContent-Disposition: form-data; name=\"known\"\r\n\r\n1\r\n"
        + "--b\r\n\r\nxxxxxxxxxxxxxxx\r\n--b--\r\n");
  }

  /**
   * Each chunk of the part waits until the server has received every byte before it: a multipart
   * body that held its parts in memory before sending would never get there.
   */
  @Test
  void partIsStreamedToTheServerAsItIsWritten() throws Exception {
    int chunkSize = 64 * 1024;
    int chunks = 8;
    AtomicLong bodyBytesReceived = new AtomicLong();
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      String head = RawHttpPeer.readHead(in);
      long length = Long.parseLong(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      byte[] buffer = new byte[8192];
      while (bodyBytesReceived.get() < length) {
        int n = in.read(buffer);
        if (n == -1) throw new IOException("body ended early");
        bodyBytesReceived.addAndGet(n);
      }
      RawHttpPeer.write(out, "HTTP/1.1 200 OK\r\nX-Received: " + bodyBytesReceived.get()
          + "\r\nContent-Length: 0\r\n\r\n");
    })) {
      ChunkedPart part = new ChunkedPart(chunks, chunkSize, true, bodyBytesReceived);
      MultipartBody body = new MultipartBody.Builder("b").addPart(part).build();
      Request request = new Request.Builder().url(peer.url("/")).post(body).build();
      try (Response response = chain.client().newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header("X-Received")).isEqualTo(String.valueOf(body.contentLength()));
      }
      assertThat(part.chunksWritten).isEqualTo(chunks);
    }
  }

  /**
   * Uploads a file four times larger than the uploading JVM's heap: it must be read from disk as it
   * is sent.
   */
  @Test
  void fileLargerThanTheHeapIsUploadedWithoutLoadingIt() throws Exception {
    long fileSize = 128L * 1024 * 1024;
    Path file = directory.resolve("large.bin");
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(fileSize); // Sparse: zeros that take no disk space.
      out.seek(fileSize - 4);
      out.write(new byte[] {'l', 'a', 's', 't'});
    }
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().body("received " + request.bodySize()).build());

    Process child = new ProcessBuilder(javaCommand(), "-Xmx32m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        MultipartUploadMain.class.getName(), server.url("/upload"), file.toString())
        .redirectErrorStream(true)
        .start();
    String output;
    try (InputStream in = child.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      assertThat(child.waitFor(50, TimeUnit.SECONDS)).as("child ended").isTrue();
    }
    String head = "--upload-boundary\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"large.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--upload-boundary--\r\n";
    long expectedSize = head.length() + fileSize + tail.length();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).startsWith("200 received " + expectedSize);

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Content-Length")).isEqualTo(String.valueOf(expectedSize));
    byte[] received = recorded.body();
    assertThat(new String(received, 0, head.length(), StandardCharsets.UTF_8)).isEqualTo(head);
    assertThat(new String(Arrays.copyOfRange(received, received.length - tail.length() - 4, received.length),
        StandardCharsets.UTF_8)).isEqualTo("last" + tail);
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Writes {@code chunks} chunks of 'x', flushing each; with a counter, waits before each chunk
   * until the server counted every byte sent before it.
   */
  private static final class ChunkedPart extends RequestBody {
    private final int chunks;
    private final int chunkSize;
    private final boolean knownLength;
    private final AtomicLong receivedByServer;
    volatile int chunksWritten;

    ChunkedPart(int chunks, int chunkSize, boolean knownLength, AtomicLong receivedByServer) {
      this.chunks = chunks;
      this.chunkSize = chunkSize;
      this.knownLength = knownLength;
      this.receivedByServer = receivedByServer;
    }

    @Override
    public long contentLength() {
      return knownLength ? (long) chunks * chunkSize : -1L;
    }

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      // The boundary and the blank line before this part's content: "--b\r\n\r\n".
      long before = 7;
      for (int i = 0; i < chunks; i++) {
        // Before the first chunk nothing was flushed yet: the request head waits in the buffer.
        if (receivedByServer != null && i > 0) {
          long expected = before + (long) i * chunkSize;
          try {
            Poll.until("the server received " + expected + " bytes", () -> receivedByServer.get() >= expected);
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
        }
        sink.writeUtf8("x".repeat(chunkSize));
        sink.flush();
        chunksWritten = i + 1;
      }
    }
  }
}
