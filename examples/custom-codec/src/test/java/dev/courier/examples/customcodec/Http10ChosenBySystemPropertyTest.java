package dev.courier.examples.customcodec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows that an application which only does {@code new CourierClient()} speaks HTTP/1.0 once this
 * module's jar is on the class path and its JVM runs with
 * {@code -Ddev.courier.spi.ProtocolConnectionProvider=example-http10}: this module's pom runs the
 * tests tagged {@value #TAG} alone, in a test run with that property, and the others without it.
 */
@Tag(Http10ChosenBySystemPropertyTest.TAG)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http10ChosenBySystemPropertyTest {
  static final String TAG = "http10-chosen-by-system-property";

  private final TestServer server = new TestServer();
  private CourierClient client;

  @BeforeEach
  void setUp() throws IOException {
    server.start();
    client = new CourierClient(); // The application: no codec, no provider named anywhere.
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void theCodecNamedBySystemPropertyServesHttp11Connections() {
    assertThat(System.getProperty("dev.courier.spi.ProtocolConnectionProvider"))
        .isEqualTo(Http10ConnectionProvider.NAME);
    assertThat(client.chosenProviders())
        .containsEntry("ProtocolConnectionProvider http/1.1", Http10ConnectionProvider.NAME);
  }

  @Test
  void requestsGoOutAsHttp10OverOneKeptAliveConnection() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().body("second").build());

    try (Response first = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(first.body().string()).isEqualTo("first");
    }
    try (Response second = client.newCall(new Request.Builder().url(server.url("/b")).build()).execute()) {
      assertThat(second.body().string()).isEqualTo("second");
    }

    RecordedRequest a = server.takeRequest();
    RecordedRequest b = server.takeRequest();
    assertThat(a.version()).isEqualTo("HTTP/1.0");
    assertThat(a.header("Connection")).isEqualTo("keep-alive");
    assertThat(b.version()).isEqualTo("HTTP/1.0");
    assertThat(b.connectionIndex()).isEqualTo(a.connectionIndex());
  }

  @Test
  void streamedBodyIsSentWithItsLengthBecauseHttp10HasNoChunks() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("stored").build());
    RequestBody streamed = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        for (int i = 0; i < 3; i++) {
          sink.writeUtf8("line " + i + "\n");
          sink.flush();
        }
      }
    };

    try (Response response = client.newCall(new Request.Builder().url(server.url("/upload"))
        .post(streamed).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("stored");
    }

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Transfer-Encoding")).isNull();
    assertThat(recorded.header("Content-Length")).isEqualTo("21");
    assertThat(recorded.bodyUtf8()).isEqualTo("line 0\nline 1\nline 2\n");
  }
}
