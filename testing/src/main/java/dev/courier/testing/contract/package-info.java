/**
 * Checks plug-ins against Courier's SPI contracts: abstract JUnit 5 suites that a codec or a route
 * selector (Courier's own, or a third party's) extends with one method returning the
 * implementation under test. {@link dev.courier.testing.contract.ExchangeCodecContract} runs a
 * codec against the {@link dev.courier.testing.TestServer} over loopback;
 * {@link dev.courier.testing.contract.RouteSelectorContract} checks a route selector's ordering,
 * failure memory and thread safety with a scripted DNS.
 */
package dev.courier.testing.contract;
