/** The WebSocket engine (RFC 6455): handshake, frame reading and writing, and the socket's life. */
package dev.courier.chain.internal.ws;
