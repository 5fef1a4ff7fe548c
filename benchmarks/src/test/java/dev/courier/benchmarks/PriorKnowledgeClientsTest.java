package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Which clients the h2c scenarios run, and how each is told to speak HTTP/2 with prior knowledge. */
class PriorKnowledgeClientsTest {
  @Test
  void h2cLoadRunsEveryClientButTheJdks() {
    assertThat(ClientLoadBenchmark.clients("h2c").keySet())
        .containsExactly("courier", "okhttp", "apache-httpclient5", "jetty-client");
    assertThat(ClientLoadBenchmark.clients("h2").keySet())
        .containsExactly("courier", "jdk-httpclient", "okhttp", "apache-httpclient5", "jetty-client");
    assertThat(ClientLoadBenchmark.clients("h1").keySet()).contains("jdk-httpclient");
  }

  @Test
  void h2cBulkLeavesOutOnlyTheJdksClient() {
    assertThat(BulkTransferClient.clients().keySet().stream().filter(BulkTransferClient::speaksPriorKnowledge))
        .containsExactly("courier", "okhttp", "apache-httpclient5", "jetty-client");
  }

  @Test
  void priorKnowledgeListsOnlyThatProtocol() {
    LoadClient.Settings h2c = new LoadClient.Settings(50, true, true, null);
    LoadClient.Settings h2 = new LoadClient.Settings(50, true, false, null);

    assertThat(CourierLoadClient.protocols(h2c)).containsExactly(dev.courier.Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(CourierLoadClient.protocols(h2))
        .containsExactly(dev.courier.Protocol.HTTP_2, dev.courier.Protocol.HTTP_1_1);
    assertThat(OkHttpLoadClient.protocols(h2c)).isEqualTo(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE));
    assertThat(OkHttpLoadClient.protocols(h2)).isEqualTo(List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1));
  }

  @Test
  void theJdksClientRefusesPriorKnowledgeAndSettingsRefuseItWithoutHttp2() throws Exception {
    assertThatThrownBy(() -> new JdkLoadClient(new LoadClient.Settings(50, true, true, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prior knowledge");
    assertThatThrownBy(() -> new JdkBulkClient(new BulkClient.Settings(true, true, SSLContext.getDefault(), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prior knowledge");
    assertThatThrownBy(() -> new LoadClient.Settings(50, false, true, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BulkClient.Settings(false, true, SSLContext.getDefault(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
