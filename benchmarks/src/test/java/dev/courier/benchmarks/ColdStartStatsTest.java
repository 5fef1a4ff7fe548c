package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartStatsTest {
  @Test
  void clientResultSurvivesFormatThenParseAmidOtherOutput() {
    ColdStartStats.ClientResult result =
        new ColdStartStats.ClientResult(1_000_000L, 1_250_000L, 1_600_000L, "h2", 2620, 612_000L);
    String output = "WARNING: an illegal reflective access\n" + result.format() + "\n";

    assertThat(ColdStartStats.parseClient(output)).isEqualTo(result);
  }

  @Test
  void missingResultLineIsRejected() {
    assertThatThrownBy(() -> ColdStartStats.parseClient("Exception in thread \"main\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no COLDSTART line");
  }

  @Test
  void phasesAreMeasuredFromTheSpawnAndFromEachOther() {
    ColdStartStats.Run run = ColdStartStats.run(3, "courier", 900_000L,
        new ColdStartStats.ClientResult(940_000L, 1_190_000L, 1_420_500L, "h2", 2620, 612_000L));

    assertThat(run.jvmMillis()).isCloseTo(40.0, within(1e-9));
    assertThat(run.buildMillis()).isCloseTo(250.0, within(1e-9));
    assertThat(run.firstCallMillis()).isCloseTo(230.5, within(1e-9));
    assertThat(run.totalMillis()).isCloseTo(520.5, within(1e-9));
    assertThat(run.clientMillis()).isCloseTo(480.5, within(1e-9));
    assertThat(run.json()).isEqualTo("{\"benchmark\":\"cold-start\",\"round\":3,\"client\":\"courier\","
        + "\"protocol\":\"h2\",\"total_ms\":520.5,\"jvm_ms\":40.0,\"build_ms\":250.0,\"first_call_ms\":230.5,"
        + "\"classes\":2620,\"cpu_ms\":612.0}");
  }

  @Test
  void aChildThatDoesNotReportCpuTimeParsesAsUnknown() {
    ColdStartStats.ClientResult result = ColdStartStats.parseClient(
        "COLDSTART main_us=1 built_us=2 response_us=3 protocol=h2 classes=4\n");

    assertThat(result.cpuMicros()).isEqualTo(-1);
    assertThat(ColdStartStats.run(1, "courier-baseline", 0, result).cpuMillis()).isEqualTo(-1);
  }

  @Test
  void ratiosPairRunsOfTheSameRoundOnly() {
    List<ColdStartStats.Run> runs = List.of(
        new ColdStartStats.Run(1, "courier", "h2", 500, 40, 250, 210, 1, -1),
        new ColdStartStats.Run(1, "okhttp", "h2", 625, 40, 300, 285, 1, -1),
        new ColdStartStats.Run(2, "okhttp", "h2", 400, 40, 200, 160, 1, -1),
        new ColdStartStats.Run(2, "courier", "h2", 600, 40, 300, 260, 1, -1),
        new ColdStartStats.Run(3, "courier", "h2", 999, 40, 500, 459, 1, -1)); // No okhttp in round 3.

    assertThat(ColdStartStats.ratios(runs, "courier", "okhttp", ColdStartStats.Run::totalMillis))
        .containsExactly(0.8, 1.5);
  }
}
