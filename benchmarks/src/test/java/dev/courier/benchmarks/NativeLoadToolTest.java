package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests reading the native tools' output; the samples are these tools' own output on this machine. */
class NativeLoadToolTest {
  private static final String SHELL_STAT = "CHILD-STAT 7830 (sh) S 7823 7823 12912 0 -1 4194304 125 2938 0 0 0 0"
      + " 57 118 20 0 1 0 7107317 2654208 405\n";

  @Test
  void childCpuIsTheWaitedChildrensUserAndSystemTicks() throws IOException {
    assertThat(NativeLoadTool.childCpuSeconds("tool output\n" + SHELL_STAT, 100)).isCloseTo(1.75, within(1e-9));
  }

  @Test
  void h2loadOutputGivesCpuPerRequestRateAndProtocol() throws IOException {
    String output = "starting benchmark...\nApplication protocol: h2c\n\n"
        + "finished in 4.30s, 46519.15 req/s, 51.02MB/s\n"
        + "requests: 200000 total, 200000 started, 200000 done, 200000 succeeded, 0 failed, 0 errored, 0 timeout\n"
        + "status codes: 200000 2xx, 0 3xx, 0 4xx, 0 5xx\n";

    LoadStats.Line line = NativeLoadTool.h2loadLine(output, 1.75e6);

    assertThat(line.client()).isEqualTo("h2load");
    assertThat(line.protocol()).isEqualTo("h2c");
    assertThat(line.cpuMicrosPerRequest()).isCloseTo(8.75, within(1e-9));
    assertThat(line.requestsPerSecond()).isEqualTo(46519.15);
    assertThat(line.allocatedBytesPerRequest()).isZero();
  }

  @Test
  void h2loadRunWithFailedRequestsIsRefused() {
    // nginx closing the connection after its keepalive_requests: h2load does not reconnect.
    String output = "Application protocol: h2c\nProcess Request Failure:18952\n\n"
        + "finished in 33.25ms, 30072.47 req/s, 32.98MB/s\n"
        + "requests: 20000 total, 1049 started, 1015 done, 1000 succeeded, 19000 failed, 19000 errored, 0 timeout\n"
        + "status codes: 1000 2xx, 0 3xx, 0 4xx, 0 5xx\n";

    assertThatThrownBy(() -> NativeLoadTool.h2loadLine(output, 1e4))
        .isInstanceOf(IOException.class).hasMessageContaining("1000 of 20000 requests succeeded");
  }

  @Test
  void wrkOutputGivesCpuPerRequestAndRate() throws IOException {
    String output = "Running 2s test @ http://127.0.0.1:18182/1k.bin\n  1 threads and 50 connections\n"
        + "  100911 requests in 2.00s, 121.64MB read\nRequests/sec:  50407.01\nTransfer/sec:     60.76MB\n";

    LoadStats.Line line = NativeLoadTool.wrkLine(output, 1_009_110);

    assertThat(line.cpuMicrosPerRequest()).isCloseTo(10.0, within(1e-9));
    assertThat(line.requestsPerSecond()).isEqualTo(50407.01);
  }

  @Test
  void wrkRunWithErrorResponsesIsRefused() {
    String output = "  100 requests in 2.00s, 1MB read\n  Non-2xx or 3xx responses: 100\nRequests/sec: 50.00\n";

    assertThatThrownBy(() -> NativeLoadTool.wrkLine(output, 1e4))
        .isInstanceOf(IOException.class).hasMessageContaining("100 responses were not 2xx");
  }

  @Test
  void nativeToolsAreReferencesNotPeers() {
    List<LoadStats.RoundLine> lines = List.of(
        new LoadStats.RoundLine(1, new LoadStats.Line("courier", "h2", 50, 0, 2000)),
        new LoadStats.RoundLine(1, new LoadStats.Line("okhttp", "h2", 100, 0, 1000)),
        new LoadStats.RoundLine(1, new LoadStats.Line("h2load", "h2", 10, 0, 9000)),
        new LoadStats.RoundLine(2, new LoadStats.Line("courier", "h2", 60, 0, 1500)),
        new LoadStats.RoundLine(2, new LoadStats.Line("okhttp", "h2", 120, 0, 900)),
        new LoadStats.RoundLine(2, new LoadStats.Line("h2load", "h2", 12, 0, 8000)));

    assertThat(LoadStats.ratiosToBestPeer(lines, "courier", LoadStats.Line::cpuMicrosPerRequest, true))
        .containsExactly(0.5, 0.5);
    assertThat(LoadStats.ratiosTo(lines, "courier", "h2load", LoadStats.Line::cpuMicrosPerRequest))
        .containsExactly(5.0, 5.0);
  }
}
