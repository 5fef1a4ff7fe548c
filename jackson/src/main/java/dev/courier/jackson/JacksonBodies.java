package dev.courier.jackson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.MediaType;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.jackson.internal.JsonReader;
import dev.courier.jackson.internal.JsonRequestBody;
import java.io.IOException;
import java.util.Objects;

/**
 * Makes JSON request bodies from Java values and reads JSON response bodies as Java values, through
 * a Jackson {@link ObjectMapper}.
 *
 * <p>Nothing is held as a whole-body string: a request body is serialized straight into the
 * connection each time it is written (so it is replayable, and is sent chunked because its length
 * is not known in advance), and a response body is parsed as it streams in. Request bodies are
 * UTF-8 unless their media type names another charset; response bodies are decoded with the charset
 * their {@code Content-Type} names, UTF-8 (or UTF-16/32, detected) when it names none. Failures are
 * {@link JsonBodyException}s naming the URL and the target type.
 *
 * <p>Instances are immutable and thread-safe as long as the mapper is not reconfigured.
 */
public final class JacksonBodies {
  /** The media type of the request bodies made by {@link #requestBody(Object)}. */
  public static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final ObjectMapper mapper;

  private JacksonBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Returns bodies made and read by a new {@link ObjectMapper} with Jackson's defaults. */
  public static JacksonBodies create() {
    return new JacksonBodies(new ObjectMapper());
  }

  /**
   * Returns bodies made and read by {@code mapper}, with its modules, features and naming
   * strategy.
   */
  public static JacksonBodies create(ObjectMapper mapper) {
    return new JacksonBodies(Objects.requireNonNull(mapper, "mapper"));
  }

  /** Returns the mapper that makes and reads the bodies. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Returns a replayable body that writes {@code value} as JSON, with media type {@link #JSON}. A
   * value Jackson cannot serialize fails the call with a {@link JsonBodyException} when the body
   * is written.
   */
  public RequestBody requestBody(Object value) {
    return requestBody(value, JSON);
  }

  /**
   * Returns a replayable body that writes {@code value} as JSON in the charset of {@code
   * contentType}, such as {@code application/vnd.api+json; charset=utf-16}. Without a charset
   * parameter the body is UTF-8; in a charset that is not Unicode, characters outside ASCII are
   * written as {@code \\uXXXX} escapes.
   */
  public RequestBody requestBody(Object value, MediaType contentType) {
    return new JsonRequestBody(mapper, value, Objects.requireNonNull(contentType, "contentType"));
  }

  /**
   * Reads the body of {@code response} as a {@code type} and closes the response. The status code
   * is not checked: call this for the responses whose body is the JSON you expect.
   *
   * @throws JsonBodyException if the body is empty, is not JSON, or does not fit {@code type}
   * @throws IOException if the body could not be read
   */
  public <T> T read(Response response, Class<T> type) throws IOException {
    return new JsonReader(mapper).read(response, mapper.constructType(type));
  }

  /**
   * Reads the body of {@code response} as the generic type that {@code type} captures, such as
   * {@code new TypeReference<List<Item>>() {}}, and closes the response.
   *
   * @throws JsonBodyException if the body is empty, is not JSON, or does not fit the type
   * @throws IOException if the body could not be read
   */
  public <T> T read(Response response, TypeReference<T> type) throws IOException {
    return new JsonReader(mapper).read(response, mapper.getTypeFactory().constructType(type));
  }

  /**
   * Reads the body of {@code response} as {@code type}, built with the mapper's {@code
   * TypeFactory}, and closes the response.
   *
   * @throws JsonBodyException if the body is empty, is not JSON, or does not fit {@code type}
   * @throws IOException if the body could not be read
   */
  public <T> T read(Response response, JavaType type) throws IOException {
    return new JsonReader(mapper).read(response, type);
  }
}
