package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadStatsTest {
  @Test
  void jsonLinesAreFoundAmidTheTableAndParsedBack() {
    LoadStats.Line line = new LoadStats.Line("courier", "h2", 94.25, 9237.0, 12345.6);
    String output = "50 threads, ...\nclient protocol CPU\ncourier h2 94.3 9237 12346\n" + line.json() + "\n";

    assertThat(line.json()).isEqualTo("{\"benchmark\":\"load\",\"client\":\"courier\",\"protocol\":\"h2\","
        + "\"cpu_us_per_req\":94.25,\"alloc_b_per_req\":9237.0,\"req_per_s\":12345.6}");
    assertThat(LoadStats.parse(output)).containsExactly(line);
  }

  @Test
  void ratiosAreToTheBestOtherClientOfTheSameRound() {
    List<LoadStats.RoundLine> lines = List.of(
        new LoadStats.RoundLine(1, new LoadStats.Line("courier", "h2", 50, 0, 2000)),
        new LoadStats.RoundLine(1, new LoadStats.Line("okhttp", "h2", 100, 0, 1000)),
        new LoadStats.RoundLine(1, new LoadStats.Line("jetty-client", "h2", 80, 0, 1600)),
        new LoadStats.RoundLine(2, new LoadStats.Line("courier", "h2", 90, 0, 900)),
        new LoadStats.RoundLine(2, new LoadStats.Line("okhttp", "h2", 60, 0, 1800)));

    assertThat(LoadStats.ratiosToBestPeer(lines, "courier", LoadStats.Line::cpuMicrosPerRequest, true))
        .containsExactly(50.0 / 80, 90.0 / 60);
    assertThat(LoadStats.ratiosToBestPeer(lines, "courier", LoadStats.Line::requestsPerSecond, false))
        .containsExactly(2000.0 / 1600, 900.0 / 1800);
  }
}
