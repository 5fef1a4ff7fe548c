package dev.courier.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {
  @Test
  void parsesIpv4DottedQuads() {
    assertThat(IpLiterals.parse("127.0.0.1")).containsExactly(127, 0, 0, 1);
    assertThat(IpLiterals.parse("255.255.255.255")).containsExactly(-1, -1, -1, -1);
  }

  @Test
  void rejectsMalformedIpv4() {
    assertThat(IpLiterals.parse("256.0.0.1")).isNull();
    assertThat(IpLiterals.parse("1.2.3")).isNull();
    assertThat(IpLiterals.parse("1.2.3.4.5")).isNull();
    assertThat(IpLiterals.parse("1..3.4")).isNull();
    assertThat(IpLiterals.parse("1.2.3.4.")).isNull();
    assertThat(IpLiterals.parse("0001.2.3.4")).isNull();
  }

  @Test
  void parsesIpv6WithAndWithoutBrackets() {
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    assertThat(IpLiterals.parse("::1")).isEqualTo(loopback);
    assertThat(IpLiterals.parse("[::1]")).isEqualTo(loopback);
    assertThat(IpLiterals.parse("0:0:0:0:0:0:0:1")).isEqualTo(loopback);
  }

  @Test
  void keepsIpv4MappedIpv6AsSixteenBytes() {
    assertThat(IpLiterals.parse("::ffff:127.0.0.1")).hasSize(16);
  }

  @Test
  void hostNamesAreNotLiterals() {
    assertThat(IpLiterals.isIpLiteral("localhost")).isFalse();
    assertThat(IpLiterals.isIpLiteral("example.com")).isFalse();
    assertThat(IpLiterals.isIpLiteral("")).isFalse();
    assertThat(IpLiterals.isIpLiteral(null)).isFalse();
    assertThat(IpLiterals.isIpLiteral("fe80::1%lo")).isFalse();
    assertThat(IpLiterals.isIpLiteral("host:name")).isFalse();
  }

  @Test
  void toInetAddressKeepsTheLiteralAsHostName() {
    assertThat(IpLiterals.toInetAddress("127.0.0.1").getHostName()).isEqualTo("127.0.0.1");
    assertThat(IpLiterals.toInetAddress("localhost")).isNull();
  }
}
