package dev.courier.cache.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.Handshake;
import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Holds what a stored response needs besides its body: the URL and method it answered, the
 * request fields its {@code Vary} names, status, headers, TLS handshake and the times it was
 * requested and received. Written as JSON; instances are immutable.
 *
 * <pre>{@code
 * {"version":1,"url":"https://example.com/a","method":"GET",
 *  "varyHeaders":[["Accept-Encoding","gzip"]],"protocol":"http/1.1","code":200,"message":"OK",
 *  "headers":[["Content-Type","text/plain"],["ETag","\"v1\""]],
 *  "handshake":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256",
 *               "peerCertificates":["MIIB..."],"localCertificates":[]},
 *  "sentRequestAtMillis":1700000000000,"receivedResponseAtMillis":1700000000020}
 * }</pre>
 */
public final class EntryMetadata {
  private static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String url;
  private final String method;
  private final Headers varyHeaders;
  private final Protocol protocol;
  private final int code;
  private final String message;
  private final Headers headers;
  private final Handshake handshake;
  private final long sentRequestAtMillis;
  private final long receivedResponseAtMillis;

  /** Creates metadata from its parts; {@code handshake} is null for cleartext. */
  public EntryMetadata(String url, String method, Headers varyHeaders, Protocol protocol, int code,
      String message, Headers headers, Handshake handshake, long sentRequestAtMillis,
      long receivedResponseAtMillis) {
    this.url = url;
    this.method = method;
    this.varyHeaders = varyHeaders;
    this.protocol = protocol;
    this.code = code;
    this.message = message;
    this.headers = headers;
    this.handshake = handshake;
    this.sentRequestAtMillis = sentRequestAtMillis;
    this.receivedResponseAtMillis = receivedResponseAtMillis;
  }

  /** Returns the URL of the stored response. */
  public String url() {
    return url;
  }

  /** Returns the request method that produced the stored response. */
  public String method() {
    return method;
  }

  /** Returns the request fields named by the response's {@code Vary}, as they were sent. */
  public Headers varyHeaders() {
    return varyHeaders;
  }

  /** Returns the protocol the response arrived over. */
  public Protocol protocol() {
    return protocol;
  }

  /** Returns the status code. */
  public int code() {
    return code;
  }

  /** Returns the reason phrase. */
  public String message() {
    return message;
  }

  /** Returns the stored response headers. */
  public Headers headers() {
    return headers;
  }

  /** Returns the TLS handshake, or null for cleartext. */
  public Handshake handshake() {
    return handshake;
  }

  /** Returns when the request was sent, on the cache's clock. */
  public long sentRequestAtMillis() {
    return sentRequestAtMillis;
  }

  /** Returns when the response was received, on the cache's clock. */
  public long receivedResponseAtMillis() {
    return receivedResponseAtMillis;
  }

  /** Returns the response this metadata describes, answering {@code request}, with {@code body}. */
  public Response toResponse(Request request, ResponseBody body) {
    return new Response.Builder()
        .request(request)
        .protocol(protocol)
        .code(code)
        .message(message)
        .headers(headers)
        .handshake(handshake)
        .body(body)
        .sentRequestAtMillis(sentRequestAtMillis)
        .receivedResponseAtMillis(receivedResponseAtMillis)
        .build();
  }

  /** Returns the metadata as UTF-8 JSON. */
  public byte[] toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("url", url);
    root.put("method", method);
    root.set("varyHeaders", headersToJson(varyHeaders));
    root.put("protocol", protocol.id());
    root.put("code", code);
    root.put("message", message);
    root.set("headers", headersToJson(headers));
    if (handshake != null) {
      ObjectNode tls = root.putObject("handshake");
      tls.put("tlsVersion", handshake.tlsVersion());
      tls.put("cipherSuite", handshake.cipherSuite());
      tls.set("peerCertificates", certificatesToJson(handshake.peerCertificates()));
      tls.set("localCertificates", certificatesToJson(handshake.localCertificates()));
    }
    root.put("sentRequestAtMillis", sentRequestAtMillis);
    root.put("receivedResponseAtMillis", receivedResponseAtMillis);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode cache metadata for " + url, e);
    }
  }

  /**
   * Returns the metadata in {@code json}.
   *
   * @throws IOException if it is not metadata of a known version
   */
  public static EntryMetadata fromJson(byte[] json) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IOException("cache metadata is not JSON", e);
    }
    if (root == null || !root.isObject() || root.path("version").asInt(-1) != VERSION) {
      throw new IOException("cache metadata has an unknown version");
    }
    Handshake handshake = null;
    JsonNode tls = root.get("handshake");
    if (tls != null && !tls.isNull()) {
      handshake = new Handshake(text(tls, "tlsVersion"), text(tls, "cipherSuite"),
          certificatesFromJson(tls.get("peerCertificates")),
          certificatesFromJson(tls.get("localCertificates")));
    }
    int code = root.path("code").asInt(-1);
    if (code < 100 || code > 999) {
      throw new IOException("cache metadata has an invalid status code");
    }
    return new EntryMetadata(text(root, "url"), text(root, "method"),
        headersFromJson(root.get("varyHeaders")), Protocol.get(text(root, "protocol")), code,
        text(root, "message"), headersFromJson(root.get("headers")), handshake,
        number(root, "sentRequestAtMillis"), number(root, "receivedResponseAtMillis"));
  }

  private static ArrayNode headersToJson(Headers headers) {
    ArrayNode result = MAPPER.createArrayNode();
    for (int i = 0; i < headers.size(); i++) {
      result.addArray().add(headers.name(i)).add(headers.value(i));
    }
    return result;
  }

  private static Headers headersFromJson(JsonNode node) throws IOException {
    if (node == null || !node.isArray()) {
      throw new IOException("cache metadata lacks a header list");
    }
    Headers.Builder result = new Headers.Builder();
    for (JsonNode pair : node) {
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()
          || !pair.get(1).isTextual() || pair.get(0).asText().isEmpty()) {
        throw new IOException("cache metadata has a malformed header");
      }
      // Stored values came from a peer and were accepted then; keep them byte for byte.
      try {
        result.addLenient(pair.get(0).asText(), pair.get(1).asText());
      } catch (IllegalArgumentException e) {
        throw new IOException("cache metadata has a malformed header", e);
      }
    }
    return result.build();
  }

  private static ArrayNode certificatesToJson(List<Certificate> certificates) {
    ArrayNode result = MAPPER.createArrayNode();
    for (Certificate certificate : certificates) {
      try {
        result.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode a certificate of the handshake", e);
      }
    }
    return result;
  }

  private static List<Certificate> certificatesFromJson(JsonNode node) throws IOException {
    if (node == null || !node.isArray()) {
      throw new IOException("cache metadata lacks a certificate list");
    }
    List<Certificate> result = new ArrayList<>(node.size());
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (JsonNode encoded : node) {
        byte[] der = Base64.getDecoder().decode(encoded.asText());
        result.add(factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IOException("cache metadata has a malformed certificate", e);
    }
    return result;
  }

  private static String text(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("cache metadata lacks " + field);
    }
    return value.asText();
  }

  private static long number(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new IOException("cache metadata lacks " + field);
    }
    return value.asLong();
  }
}
