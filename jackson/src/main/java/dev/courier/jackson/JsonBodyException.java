package dev.courier.jackson;

import java.io.IOException;

/**
 * Signals that a body could not be turned into JSON or a JSON body into a Java value: the body was
 * empty, was not well-formed JSON, or did not fit the target type. The message names the URL (when
 * known), the target type and what went wrong; Jackson's exception is the cause.
 */
public final class JsonBodyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String targetType;

  /**
   * Creates an exception for a body of {@code url} (null when unknown) read as or written from
   * {@code targetType}.
   */
  public JsonBodyException(String message, String url, String targetType, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.targetType = targetType;
  }

  /** Returns the URL whose body failed, redacted as in logs, or null when it is not known. */
  public String url() {
    return url;
  }

  /** Returns the Java type the body was read as or written from, such as {@code java.util.List<Item>}. */
  public String targetType() {
    return targetType;
  }
}
