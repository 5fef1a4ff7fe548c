package dev.courier.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartClassPathTest {
  private static final String M2 = "/home/u/.m2/repository/";
  private static final String BENCHMARKS = "/src/benchmarks/target/courier-benchmarks-0.1.0-SNAPSHOT.jar";
  private static final String API = "/src/api/target/courier-api-0.1.0-SNAPSHOT.jar";
  private static final String TESTING = "/src/testing/target/courier-testing-0.1.0-SNAPSHOT.jar";
  private static final String NETTY = M2 + "io/netty/netty-common/4.2.7.Final/netty-common-4.2.7.Final.jar";
  private static final String OKHTTP = M2 + "com/squareup/okhttp3/okhttp-jvm/5.5.1/okhttp-jvm-5.5.1.jar";
  private static final String OKIO = M2 + "com/squareup/okio/okio-jvm/3.18.0/okio-jvm-3.18.0.jar";
  private static final String KOTLIN = M2 + "org/jetbrains/kotlin/kotlin-stdlib/2.1.21/kotlin-stdlib-2.1.21.jar";
  private static final String BC = M2 + "org/bouncycastle/bcprov-jdk18on/1.82/bcprov-jdk18on-1.82.jar";
  private static final String APACHE = M2 + "org/apache/httpcomponents/core5/httpcore5/5.4.4/httpcore5-5.4.4.jar";
  private static final String JETTY = M2 + "org/eclipse/jetty/jetty-util/12.1.14/jetty-util-12.1.14.jar";
  private static final String SLF4J = M2 + "org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar";
  private static final List<String> SHARED =
      List.of(API, NETTY, TESTING, BC, OKHTTP, KOTLIN, OKIO, APACHE, JETTY, SLF4J, BENCHMARKS);

  @Test
  void courierGetsItsModulesNettyAndOkioButNotTheTestingModuleOrPeers() {
    assertThat(ColdStartClassPath.forClient("courier", BENCHMARKS, SHARED))
        .containsExactly(BENCHMARKS, API, NETTY, KOTLIN, OKIO);
  }

  @Test
  void eachPeerGetsOnlyItsOwnGroups() {
    assertThat(ColdStartClassPath.forClient("okhttp", BENCHMARKS, SHARED)).containsExactly(BENCHMARKS, OKHTTP, KOTLIN, OKIO);
    assertThat(ColdStartClassPath.forClient("apache-httpclient5", BENCHMARKS, SHARED))
        .containsExactly(BENCHMARKS, APACHE, SLF4J);
    assertThat(ColdStartClassPath.forClient("jetty-client", BENCHMARKS, SHARED)).containsExactly(BENCHMARKS, JETTY, SLF4J);
    assertThat(ColdStartClassPath.forClient("jdk-httpclient", BENCHMARKS, SHARED)).containsExactly(BENCHMARKS);
  }

  @Test
  void everyBenchmarkedClientHasAClassPath() {
    for (String client : ColdStartBenchmark.CLIENTS) {
      assertThat(ColdStartClassPath.forClient(client, BENCHMARKS, SHARED)).startsWith(BENCHMARKS);
    }
  }

  @Test
  void rejectsAnUnknownClient() {
    assertThatThrownBy(() -> ColdStartClassPath.forClient("curl", BENCHMARKS, SHARED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("curl");
  }
}
