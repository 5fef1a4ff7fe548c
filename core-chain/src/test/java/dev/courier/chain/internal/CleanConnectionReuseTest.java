package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tests through the client that a connection goes back to the pool only when its response ended
 * exactly where the framing said: bytes beyond it are never read as the next call's response.
 */
@Timeout(10)
class CleanConnectionReuseTest {
  /** A complete response sent where none was asked for: what a smuggling attack plants. */
  private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @ParameterizedTest(name = "{0} answered by {1}")
  @CsvSource(delimiter = '|', value = {
      "GET  | HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello                                 | hello",
      "GET  | HTTP/1.1 204 No Content\\r\\n\\r\\n                                                     | ''",
      "GET  | HTTP/1.1 304 Not Modified\\r\\nContent-Length: 5\\r\\nContent-Encoding: gzip\\r\\n\\r\\nhello | ''",
      "HEAD | HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello                                 | ''"})
  void bytesBeyondTheResponseAreNeverReadAsTheNextResponse(String method, String dirty,
      String expectedBody) throws Exception {
    String wire = dirty.replace("\\r\\n", "\r\n") + SMUGGLED;
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      RawHttpPeer.write(out, index == 0 ? wire : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = chain.client();

      Request first = new Request.Builder().url(peer.url("/first")).method(method, null).build();
      try (Response response = client.newCall(first).execute()) {
        assertThat(response.body().string()).isEqualTo(expectedBody);
      }
      Request second = new Request.Builder().url(peer.url("/second")).build();
      try (Response response = client.newCall(second).execute()) {
        assertThat(response.body().string()).isEqualTo("fresh");
      }

      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @Test
  void headerWithNulIsRefusedNamingTheServerAndItsConnectionIsNotReused() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      RawHttpPeer.write(out, index == 0
          ? "HTTP/1.1 200 OK\r\nX-Evil: a\0b\r\nContent-Length: 2\r\n\r\nok"
          : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = chain.client();

      assertThatThrownBy(() -> fetch(client, "GET", peer.url("/evil")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("from " + peer.peer() + " has a NUL in a field line")
          .hasMessageEndingWith("while reading response headers (http/1.1)");
      assertThat(fetch(client, "GET", peer.url("/next"))).isEqualTo("fresh");
      assertThat(peer.acceptedCount()).isEqualTo(2);
    }
  }

  @Test
  void wellBehavedServerKeepsOneConnectionAcrossFramedAndBodilessResponses() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("hello").build());
    server.enqueue(ScriptedResponse.builder().status(204).build());
    server.enqueue(ScriptedResponse.builder().status(304).header("ETag", "\"v1\"")
        .header("Content-Encoding", "gzip").build());
    server.enqueue(ScriptedResponse.builder().body("not sent for HEAD").build());
    server.enqueue(ScriptedResponse.builder().chunkedBody("chunks", 2).build());
    CourierClient client = chain.client();

    assertThat(fetch(client, "GET", server.url("/1"))).isEqualTo("hello");
    assertThat(fetch(client, "GET", server.url("/2"))).isEmpty();
    assertThat(fetch(client, "GET", server.url("/3"))).isEmpty();
    assertThat(fetch(client, "HEAD", server.url("/4"))).isEmpty();
    assertThat(fetch(client, "GET", server.url("/5"))).isEqualTo("chunks");

    assertThat(server.connectionCount()).isEqualTo(1);
  }

  private static String fetch(CourierClient client, String method, String url) throws Exception {
    try (Response response = client.newCall(
        new Request.Builder().url(url).method(method, null).build()).execute()) {
      return response.body().string();
    }
  }
}
