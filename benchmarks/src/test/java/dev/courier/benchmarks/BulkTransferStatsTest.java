package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTransferStatsTest {
  @Test
  void clientResultSurvivesFormatThenParseAmidOtherOutput() {
    BulkTransferStats.ClientResult result = new BulkTransferStats.ClientResult(1L << 30, 1_500_000_000L, 750_000_000L, "h2");
    String output = "WARNING: something\n" + result.format() + "\n0m0.5s 0m0.1s\n";

    assertThat(BulkTransferStats.parseClient(output)).isEqualTo(result);
  }

  @Test
  void missingResultLineIsRejected() {
    assertThatThrownBy(() -> BulkTransferStats.parseClient("Exception in thread main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no RESULT line");
  }

  @Test
  void childrenCpuIsTheSumOfUserAndSystemOnTheSecondTimesLine() {
    String output = "CURL 200 1 0 0.5 1.1\n0m0.002s 0m0.001s\n1m2.250s 0m0.375s\n";

    assertThat(BulkTransferStats.parseChildrenCpuNanos(output)).isEqualTo(62_625_000_000L);
  }

  @Test
  void timesOutputWithOneLineIsRejected() {
    assertThatThrownBy(() -> BulkTransferStats.parseChildrenCpuNanos("0m0.002s 0m0.001s\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void throughputAndCpuPerGibUseBinaryUnits() {
    long gib = 1L << 30;

    assertThat(BulkTransferStats.mibPerSecond(gib, 2_000_000_000L)).isCloseTo(512.0, within(1e-9));
    assertThat(BulkTransferStats.cpuSecondsPerGib(500_000_000L, gib / 4)).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void summaryHasTheMedianOfOddAndEvenCountsAndTheSpread() {
    BulkTransferStats.Summary odd = BulkTransferStats.summarize(List.of(3.0, 1.0, 2.0));
    BulkTransferStats.Summary even = BulkTransferStats.summarize(List.of(4.0, 1.0, 3.0, 2.0));

    assertThat(odd).isEqualTo(new BulkTransferStats.Summary(2.0, 1.0, 3.0));
    assertThat(even).isEqualTo(new BulkTransferStats.Summary(2.5, 1.0, 4.0));
    assertThat(even.format(1)).isEqualTo("2.5 [1.0-4.0]");
  }
}
