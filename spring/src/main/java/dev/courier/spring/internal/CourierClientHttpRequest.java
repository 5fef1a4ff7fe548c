package dev.courier.spring.internal;

import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okio.Buffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A Spring request sent as one Courier call. A body Spring hands over as a stream is written
 * straight to the connection; a body written to {@link #getBody()} is collected first.
 */
public final class CourierClientHttpRequest extends AbstractClientHttpRequest implements StreamingHttpOutputMessage {
  /** Headers the codec frames itself: the length is handed to Courier through the body instead. */
  private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding");

  private final CourierClient client;
  private final URI uri;
  private final HttpMethod method;
  private final HttpUrl url;
  private Body streamingBody;
  private Buffer bufferedBody;

  /**
   * Creates a request for {@code method} to {@code uri}.
   *
   * @throws IllegalArgumentException if {@code uri} is not an absolute http or https URI
   */
  public CourierClientHttpRequest(CourierClient client, URI uri, HttpMethod method) {
    this.client = client;
    this.uri = uri;
    this.method = method;
    this.url = HttpUrl.get(uri);
  }

  @Override
  public HttpMethod getMethod() {
    return method;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public void setBody(Body body) {
    assertNotExecuted();
    this.streamingBody = body;
  }

  @Override
  protected OutputStream getBodyInternal(HttpHeaders headers) {
    if (bufferedBody == null) {
      bufferedBody = new Buffer();
    }
    return bufferedBody.outputStream();
  }

  @Override
  protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
    Request.Builder request = new Request.Builder().url(url);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (FRAMING_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        request.addHeader(header.getKey(), value);
      }
    }
    request.method(method.name(), requestBody(headers));
    Response response = client.newCall(request.build()).execute();
    return new CourierClientHttpResponse(response);
  }

  private RequestBody requestBody(HttpHeaders headers) {
    String contentTypeHeader = headers.getFirst(HttpHeaders.CONTENT_TYPE);
    MediaType contentType = contentTypeHeader == null ? null : MediaType.parse(contentTypeHeader);
    if (streamingBody != null) {
      return new StreamingRequestBody(streamingBody, contentType, headers.getContentLength());
    }
    if (bufferedBody != null) {
      return RequestBody.create(bufferedBody.readByteString(), contentType);
    }
    String name = method.name();
    boolean needsBody = name.equals("POST") || name.equals("PUT") || name.equals("PATCH")
        || name.equals("PROPPATCH") || name.equals("REPORT");
    return needsBody ? RequestBody.create(new byte[0], contentType) : null;
  }
}
