package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlIpAddressesTest {
  private static String ipv4(String host) {
    return UrlIpAddresses.canonicalIpv4(host, host.length());
  }

  private static String ipv6(String address) {
    return UrlIpAddresses.canonicalIpv6(address, 0, address.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.2.3.4", "example.1", "a.0x1f", "a.0x", "1.2.3.4.", "a.09"})
  void hostEndingInNumericLabelEndsInNumber(String host) {
    assertThat(UrlIpAddresses.endsInNumber(host, host.length())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "example.com", "1.2.3.4a", "a.0xg", "1.2.3.4..", "a.-1"})
  void hostEndingInOtherLabelDoesNotEndInNumber(String host) {
    assertThat(UrlIpAddresses.endsInNumber(host, host.length())).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0.0.0.0",
      "4294967295, 255.255.255.255",
      "0xffffffff, 255.255.255.255",
      "037777777777, 255.255.255.255",
      "1.0xffffff, 1.255.255.255",
      "1.2.0xffff, 1.2.255.255",
      "0x1.0X2.03.4, 1.2.3.4",
  })
  void ipv4PartsMayBeDecimalOctalOrHex(String host, String expected) {
    assertThat(ipv4(host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967296", "1.0x1000000", "1.2.0x10000", "1.2.3.0x100", "256.0.0.0",
      "1.2.3.4.5", "08", "0x1g", "1..2", ".1", "99999999999999999999999"})
  void ipv4OutOfRangeOrMalformedIsRejected(String host) {
    assertThat(ipv4(host)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
      "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
      "1:0:0:2:0:0:0:4, 1:0:0:2::4",
      "0:0:0:0:0:0:0:1, ::1",
      "1:0:0:0:0:0:0:0, 1::",
      "0:1:0:1:0:1:0:1, 0:1:0:1:0:1:0:1",
      "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
      "0001:02:003:0::, 1:2:3::",
      "::ffff:0.0.0.0, ::ffff:0:0",
      "::255.255.255.255, ::ffff:ffff",
  })
  void ipv6IsWrittenPerRfc5952(String address, String expected) {
    assertThat(ipv6(address)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", ":::", "1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "::1::",
      "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "00000::", "::1.2.3.04", "::1.2.3.4:5",
      "::1.2.3.4.", "::256.1.1.1", "::-1.2.3.4", " ::1"})
  void malformedIpv6IsRejected(String address) {
    assertThat(ipv6(address)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.20.30.40", "1.2.3.4"})
  void canonicalIpv4HostIsKeptAsItIs(String host) {
    assertThat(ipv4(host)).isSameAs(host);
  }

  @ParameterizedTest
  @CsvSource({
      "127.1, 127.0.0.1",
      "127.0.0.01, 127.0.0.1",
      "0127.0.0.1, 87.0.0.1",
      "1.2.3.4., 1.2.3.4",
      "1234, 0.0.4.210",
  })
  void nearlyCanonicalIpv4HostIsStillCanonicalized(String host, String expected) {
    assertThat(ipv4(host)).isEqualTo(expected);
  }
}
