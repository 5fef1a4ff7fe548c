/**
 * Test infrastructure for HTTP clients: {@link dev.courier.testing.TestServer}, a scripted
 * HTTP/1.1 and HTTP/2 server on Netty that records what it receives and can misbehave on
 * purpose; {@link dev.courier.testing.FaultInjectionServer}, a server of plain sockets that
 * breaks exchanges at an exact {@link dev.courier.testing.FaultPoint}; {@link
 * dev.courier.testing.TestCertificateAuthority}, which issues certificates for TLS tests;
 * {@link dev.courier.testing.ThreadLeakExtension}, a JUnit 5 extension that fails tests leaving
 * threads behind; {@link dev.courier.testing.LoopbackPeer}, the listening socket, threads and
 * clean-up of a hand-written raw-socket peer; {@link dev.courier.testing.Http2FramePeer}, an
 * HTTP/2 server played frame by frame on one; {@link dev.courier.testing.RequestHeads}, which reads
 * HTTP/1.x request heads off a raw stream; and {@link
 * dev.courier.testing.UnconnectedSocketFactory}, a base for socket factories that watch or gate
 * the sockets a client makes.
 *
 * <p>Only the contract suites ({@code dev.courier.testing.contract}) use Courier's types, from
 * its api module, the one Courier module this module depends on; everything in this package speaks
 * plain HTTP, TLS and sockets, so it can test any HTTP client.
 */
package dev.courier.testing;
