package dev.courier.sse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventStreamResponsesTest {
  private static final String PEER = "example.com:8443";

  @ParameterizedTest
  @ValueSource(strings = {"text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream"})
  void okEventStreamIsAccepted(String contentType) {
    assertThat(EventStreamResponses.refusal(response(200, contentType), PEER)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/json", "text/event-streams", "not a media type"})
  void otherContentTypesAreRefusedNamingPeerAndType(String contentType) {
    assertThat(EventStreamResponses.refusal(response(200, contentType), PEER))
        .hasMessageContaining(PEER)
        .hasMessageContaining(contentType);
  }

  @Test
  void missingContentTypeIsRefused() {
    assertThat(EventStreamResponses.refusal(response(200, null), PEER)).hasMessageContaining("none");
  }

  @Test
  void noContentIsRefusedAsTheServersRequestToStop() {
    assertThat(EventStreamResponses.refusal(response(204, null), PEER))
        .hasMessageContaining(PEER)
        .hasMessageContaining("204");
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 301, 404, 500})
  void otherStatusesAreRefused(int code) {
    assertThat(EventStreamResponses.refusal(response(code, "text/event-stream"), PEER))
        .hasMessageContaining(PEER)
        .hasMessageContaining(Integer.toString(code));
  }

  private static Response response(int code, String contentType) {
    Response.Builder builder = new Response.Builder()
        .request(new Request.Builder().url("https://" + PEER + "/events").build())
        .protocol(Protocol.HTTP_1_1)
        .code(code)
        .message("Whatever");
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return builder.build();
  }
}
