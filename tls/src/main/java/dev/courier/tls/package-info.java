/**
 * Connects with TLS for Courier: the TLS handshake with SNI and ALPN ({@link dev.courier.tls.TlsConnector}),
 * strict hostname verification ({@link dev.courier.tls.StrictHostnameVerifier}) and the default
 * TLS settings ({@link dev.courier.tls.TlsDefaults}).
 */
package dev.courier.tls;
