package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CourierCliTest {
  @Test
  void helpReturnsNull() {
    assertThat(CourierCli.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void optionsAreParsed() {
    CourierCli cli = CourierCli.parse(new String[] {
        "-v", "-X", "PUT", "-d", "x=1", "-H", "A: b", "-n", "3", "--http1", "http://127.0.0.1/"});
    assertThat(cli.verbose).isTrue();
    assertThat(cli.include).isTrue();
    assertThat(cli.method).isEqualTo("PUT");
    assertThat(cli.data).isEqualTo("x=1");
    assertThat(cli.headers).containsExactly("A: b");
    assertThat(cli.repeat).isEqualTo(3);
    assertThat(cli.http1).isTrue();
    assertThat(cli.url).isEqualTo("http://127.0.0.1/");
  }

  @Test
  void badUsageIsReportedClearly() {
    assertThatThrownBy(() -> CourierCli.parse(new String[] {"--bogus"}))
        .hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> CourierCli.parse(new String[] {"-X"}))
        .hasMessage("-X needs a value");
    assertThatThrownBy(() -> CourierCli.parse(new String[] {"-n", "0", "http://h/"}))
        .hasMessage("-n needs a positive whole number, not 0");
    assertThatThrownBy(() -> CourierCli.parse(new String[] {"ftp://h/"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp");
    assertThatThrownBy(() -> CourierCli.parse(new String[] {"--http1", "--h2c", "http://h/"}))
        .hasMessage("--http1 and --h2c exclude each other");
  }

  @Test
  void verboseFetchShowsProtocolReuseAndBody() throws IOException, InterruptedException {
    try (TestServer server = new TestServer()) {
      server.dispatcher(request -> ScriptedResponse.builder()
          .header("Content-Type", "text/plain")
          .body("got " + request.method() + " " + request.bodyUtf8() + "\n")
          .build());
      server.start();
      CourierCli cli = CourierCli.parse(new String[] {"-v", "-n", "2", "-d", "x=1", server.url("/form")});
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      cli.fetch(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertThat(output).contains("POST " + server.url("/form"))
          .contains("connecting to")
          .contains("new connection")
          .contains("reused connection")
          .contains("http/1.1 200 OK")
          .contains("got POST x=1");
      assertThat(server.takeRequest().header("Content-Type")).startsWith("application/x-www-form-urlencoded");
      assertThat(server.connectionCount()).isEqualTo(1);
    }
  }
}
