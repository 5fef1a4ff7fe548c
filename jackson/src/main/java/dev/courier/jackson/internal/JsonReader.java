package dev.courier.jackson.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.jackson.JsonBodyException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okio.BufferedSource;

/** Parses a response body as it streams in, turning Jackson's failures into {@link JsonBodyException}s. */
public final class JsonReader {
  private final ObjectMapper mapper;

  /** Creates a reader parsing with {@code mapper}. */
  public JsonReader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Reads the body of {@code response} as {@code type} and closes the response. */
  public <T> T read(Response response, JavaType type) throws IOException {
    try (response) {
      ResponseBody body = response.body();
      BufferedSource source = body.source();
      if (source.exhausted()) {
        throw failure(response, type, "the body is empty", null);
      }
      // Keep the body open after the value, to read it to its end so the connection can be reused.
      ObjectReader reader = mapper.readerFor(type).without(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      MediaType contentType = body.contentType();
      Charset charset = contentType == null ? null : contentType.charset();
      try {
        T value;
        if (charset == null || charset.equals(StandardCharsets.UTF_8)) {
          // Jackson reads bytes fastest, and detects UTF-16 and UTF-32 by itself (RFC 4627 §3).
          value = reader.readValue(source.inputStream());
        } else {
          value = reader.readValue(new InputStreamReader(source.inputStream(), charset));
        }
        skipTrailingWhitespace(source);
        return value;
      } catch (JsonProcessingException e) {
        IOException transport = transportFailure(e);
        if (transport != null) {
          throw transport; // The connection failed, not the JSON: keep Courier's exception, which names the server.
        }
        if (e instanceof JsonParseException) {
          throw failure(response, type, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
        if (e instanceof MismatchedInputException) {
          throw failure(response, type, "the JSON does not fit the type" + at(e.getLocation()) + ": "
              + e.getOriginalMessage(), e);
        }
        throw failure(response, type, e.getOriginalMessage(), e);
      }
    }
  }

  /**
   * Reads to the end of a body that holds only whitespace after the value, so that the body ends
   * where its framing says and its connection can be reused.
   */
  private static void skipTrailingWhitespace(BufferedSource source) throws IOException {
    while (!source.exhausted()) {
      byte b = source.getBuffer().getByte(0);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return;
      }
      source.skip(1);
    }
  }

  /** Returns the I/O failure Jackson wrapped while reading, or null if the JSON itself failed. */
  private static IOException transportFailure(JsonProcessingException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException && !(cause instanceof JacksonException)) {
        return (IOException) cause;
      }
    }
    return null;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + " column " + location.getColumnNr();
  }

  private static JsonBodyException failure(Response response, JavaType type, String what, Throwable cause) {
    String url = loggable(response.request().url());
    String typeName = type.toCanonical();
    MediaType contentType = response.body().contentType();
    String message = "Cannot read the body of " + response.request().method() + " " + url + " (HTTP "
        + response.code() + (contentType == null ? "" : ", " + contentType) + ") as " + typeName + ": " + what;
    return new JsonBodyException(message, url, typeName, cause);
  }

  /** Returns {@code url} without user name, password, query or fragment, which may hold secrets. */
  static String loggable(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }
}
