package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.Reader;
import java.net.ProtocolException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reads response bodies from real sockets with {@link Response#peekBody} and {@link ResponseBody#charStream}. */
@Timeout(20)
class ResponseBodyWireTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static String readAll(Reader reader) throws IOException {
    StringBuilder result = new StringBuilder();
    char[] buffer = new char[7];
    for (int n; (n = reader.read(buffer)) != -1; ) {
      result.append(buffer, 0, n);
    }
    return result.toString();
  }

  private static Request get(TestServer server) {
    return new Request.Builder().url(server.url("/")).build();
  }

  @Test
  void peekBodyDoesNotConsumeTheBodyAndTheConnectionIsReused() throws Exception {
    String content = "0123456789".repeat(10_000);
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain").chunkedBody(content, 1000).build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(get(server)).execute()) {
      ResponseBody peeked = response.peekBody(25);
      assertThat(peeked.string()).isEqualTo("0123456789012345678901234");
      assertThat(peeked.contentType().toString()).isEqualTo("text/plain");
      assertThat(response.peekBody(Long.MAX_VALUE).contentLength()).isEqualTo(content.length());
      assertThat(response.body().string()).isEqualTo(content);
    }
    try (Response response = client.newCall(get(server)).execute()) {
      assertThat(response.body().string()).isEqualTo("second");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void peekingABodyShorterThanItsContentLengthFailsNamingTheServer() throws Exception {
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      RawHttpPeer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly twenty bytes!!!");
      socket.shutdownOutput();
      RawHttpPeer.awaitClientClose(in);
    })) {
      CourierClient client = chain.client();
      try (Response response = client.newCall(new Request.Builder().url(peer.url("/")).build()).execute()) {
        assertThatThrownBy(() -> response.peekBody(50))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining(peer.peer());
      }
      assertThat(client.connectionPool().connectionCount()).isZero();
    }
  }

  @Test
  void charStreamDecodesTheDeclaredCharsetAcrossChunks() throws Exception {
    String text = "Grüße aus Köln, €100 ".repeat(50);
    byte[] latin9 = text.getBytes(Charset.forName("ISO-8859-15"));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain; charset=ISO-8859-15")
        .chunkedBody(latin9, 3).build());
    // One byte per chunk: every multi-byte UTF-8 sequence is split across reads.
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain").chunkedBody(utf8, 1).build());
    CourierClient client = chain.client();

    for (int i = 0; i < 2; i++) {
      try (Response response = client.newCall(get(server)).execute()) {
        assertThat(readAll(response.body().charStream())).isEqualTo(text);
      }
    }
  }

  @Test
  void charStreamFollowsAByteOrderMarkOverTheContentType() throws Exception {
    byte[] utf16le = new Buffer().write(ByteString.decodeHex("fffe"))
        .writeString("naïve ☃", StandardCharsets.UTF_16LE).readByteArray();
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain; charset=utf-8").body(utf16le).build());

    try (Response response = chain.client().newCall(get(server)).execute()) {
      Reader reader = response.body().charStream();
      assertThat(readAll(reader)).isEqualTo("naïve ☃");
    }
  }
}
