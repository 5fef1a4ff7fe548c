package dev.courier.spring.internal;

import dev.courier.Headers;
import dev.courier.Response;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/** A Courier response seen by Spring: the body streams from the connection, closing releases it. */
final class CourierClientHttpResponse implements ClientHttpResponse {
  private final Response response;
  private HttpHeaders headers;

  CourierClientHttpResponse(Response response) {
    this.response = response;
  }

  @Override
  public HttpStatusCode getStatusCode() {
    return HttpStatusCode.valueOf(response.code());
  }

  /** Returns the reason phrase the server sent, or the standard one when it sent none (HTTP/2). */
  @Override
  public String getStatusText() {
    if (!response.message().isEmpty()) {
      return response.message();
    }
    HttpStatus status = HttpStatus.resolve(response.code());
    return status == null ? "" : status.getReasonPhrase();
  }

  @Override
  public HttpHeaders getHeaders() {
    if (headers == null) {
      HttpHeaders result = new HttpHeaders();
      Headers fields = response.headers();
      for (int i = 0; i < fields.size(); i++) {
        result.add(fields.name(i), fields.value(i));
      }
      headers = HttpHeaders.readOnlyHttpHeaders(result);
    }
    return headers;
  }

  @Override
  public InputStream getBody() {
    return response.body().byteStream();
  }

  @Override
  public void close() {
    response.close();
  }

  @Override
  public String toString() {
    return response.toString();
  }
}
