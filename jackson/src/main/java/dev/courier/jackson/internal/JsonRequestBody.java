package dev.courier.jackson.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.courier.MediaType;
import dev.courier.RequestBody;
import dev.courier.jackson.JsonBodyException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import okio.BufferedSink;

/**
 * Serializes a value into the connection each time the body is written: nothing is held as a
 * whole-body string, and the length is unknown (-1), so HTTP/1.1 sends it chunked.
 */
public final class JsonRequestBody extends RequestBody {
  private final ObjectMapper mapper;
  private final Object value;
  private final MediaType contentType;

  /** Creates a body writing {@code value} with {@code mapper} in the charset of {@code contentType}. */
  public JsonRequestBody(ObjectMapper mapper, Object value, MediaType contentType) {
    this.mapper = mapper;
    this.value = value;
    this.contentType = contentType;
  }

  @Override
  public MediaType contentType() {
    return contentType;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    Charset charset = contentType.charset(StandardCharsets.UTF_8);
    // The sink belongs to the exchange: Jackson must flush into it but never close it.
    ObjectWriter writer = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    try {
      if (charset.equals(StandardCharsets.UTF_8)) {
        writer.writeValue(sink.outputStream(), value);
      } else {
        if (!charset.name().toUpperCase(Locale.ROOT).startsWith("UTF-")) {
          // A charset that is not Unicode cannot hold every character: escape what lies outside ASCII.
          writer = writer.with(JsonWriteFeature.ESCAPE_NON_ASCII);
        }
        Writer out = new OutputStreamWriter(sink.outputStream(), charset);
        writer.writeValue(out, value);
        out.flush();
      }
    } catch (JsonProcessingException e) {
      String type = value == null ? "null" : value.getClass().getName();
      throw new JsonBodyException("Cannot write " + type + " as JSON: " + e.getOriginalMessage(), null, type, e);
    }
  }
}
