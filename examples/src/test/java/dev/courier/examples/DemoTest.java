package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoTest {
  @Test
  void demoNegotiatesH2ReusesConnectionsAndFallsBackToHttp1() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("TLS TLSv1.3")
        .contains("connected, protocol h2")
        .contains("reused connection")
        .contains("slow hello over HTTP/2")
        .contains("response 301 over h2")
        .contains("hello over HTTP/1.1, request 1 on connection 1")
        // One HTTP/2 connection carries every call of the first client, then one HTTP/1.1 connection.
        .contains("The server accepted 2 TCP connections for 15 requests.");
  }
}
