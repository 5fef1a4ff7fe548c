package dev.courier.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Carries the settings one provider is configured with: those given on the client builder for the
 * provider's name, over those from system properties named after the provider,
 * {@code -Dcourier.provider.<name>.<key>=<value>}. Handed to the provider when it creates its
 * product (see {@link RouteSelectorProvider#create(ProviderSettings)},
 * {@link EvictionPolicyProvider#create(ProviderSettings)} and {@link ConnectionOptions#settings()}).
 *
 * <p>The typed getters reject a malformed value with an {@link IllegalArgumentException} that
 * names the provider, the key and where the value came from. Immutable and thread-safe.
 */
public final class ProviderSettings {
  /** The prefix of system properties that configure providers: {@value}. */
  public static final String SYSTEM_PROPERTY_PREFIX = "courier.provider.";

  /** Settings for no provider in particular: empty. */
  public static final ProviderSettings EMPTY = new ProviderSettings("", Map.of(), Set.of());

  private final String providerName;
  private final Map<String, String> values;
  private final Set<String> fromSystemProperties;

  private ProviderSettings(String providerName, Map<String, String> values,
      Set<String> fromSystemProperties) {
    this.providerName = providerName;
    this.values = values;
    this.fromSystemProperties = fromSystemProperties;
  }

  /**
   * Returns the settings for the provider named {@code providerName}: {@code given} (from the
   * client builder) over the system properties {@code courier.provider.<providerName>.<key>}.
   *
   * @param given settings by key; may be empty
   */
  public static ProviderSettings of(String providerName, Map<String, String> given) {
    return of(providerName, given, System.getProperties());
  }

  /** Returns settings as {@link #of(String, Map)} does, reading {@code properties}; for tests. */
  static ProviderSettings of(String providerName, Map<String, String> given, Properties properties) {
    Objects.requireNonNull(providerName, "providerName == null");
    Objects.requireNonNull(given, "given == null");
    Map<String, String> values = new TreeMap<>();
    Set<String> fromProperties = new java.util.HashSet<>();
    String prefix = SYSTEM_PROPERTY_PREFIX + providerName + ".";
    for (String property : properties.stringPropertyNames()) {
      if (property.startsWith(prefix) && property.length() > prefix.length()) {
        String key = property.substring(prefix.length());
        values.put(key, properties.getProperty(property));
        fromProperties.add(key);
      }
    }
    for (Map.Entry<String, String> entry : given.entrySet()) {
      values.put(Objects.requireNonNull(entry.getKey(), "key == null"),
          Objects.requireNonNull(entry.getValue(), "value == null"));
      fromProperties.remove(entry.getKey());
    }
    return new ProviderSettings(providerName, Collections.unmodifiableMap(values), Set.copyOf(fromProperties));
  }

  /** Returns the name of the provider these settings are for; empty for {@link #EMPTY}. */
  public String providerName() {
    return providerName;
  }

  /** Returns every setting by key, sorted by key; immutable. */
  public Map<String, String> asMap() {
    return values;
  }

  /** Returns the value of {@code key}, or null if it is not set. */
  public String get(String key) {
    return values.get(key);
  }

  /** Returns the value of {@code key}, or {@code defaultValue} if it is not set. */
  public String get(String key, String defaultValue) {
    String value = values.get(key);
    return value != null ? value : defaultValue;
  }

  /**
   * Returns {@code key} as an int, or {@code defaultValue} if it is not set.
   *
   * @throws IllegalArgumentException if the value is not a decimal int
   */
  public int getInt(String key, int defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "an integer", e);
    }
  }

  /**
   * Returns {@code key} as a long, or {@code defaultValue} if it is not set.
   *
   * @throws IllegalArgumentException if the value is not a decimal long
   */
  public long getLong(String key, long defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "an integer", e);
    }
  }

  /**
   * Returns {@code key} as a boolean, or {@code defaultValue} if it is not set.
   *
   * @throws IllegalArgumentException if the value is neither {@code true} nor {@code false}
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (value.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, value, "true or false", null);
  }

  /**
   * Returns {@code key} as a duration, or {@code defaultValue} if it is not set. Accepts a number
   * with a unit ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}) or ISO-8601 ({@code PT30S}).
   *
   * @throws IllegalArgumentException if the value is neither, or is negative
   */
  public Duration getDuration(String key, Duration defaultValue) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    Duration result = parseDuration(value.trim());
    if (result == null || result.isNegative()) {
      throw invalid(key, value, "a duration such as 250ms, 30s, 5m, 1h or PT30S", null);
    }
    return result;
  }

  private static Duration parseDuration(String value) {
    if (value.startsWith("P") || value.startsWith("p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    int unitStart = 0;
    while (unitStart < value.length() && Character.isDigit(value.charAt(unitStart))) {
      unitStart++;
    }
    if (unitStart == 0 || unitStart > 18) {
      return null;
    }
    long amount = Long.parseLong(value.substring(0, unitStart));
    switch (value.substring(unitStart).trim()) {
      case "ms": return Duration.ofMillis(amount);
      case "s": return Duration.ofSeconds(amount);
      case "m": return Duration.ofMinutes(amount);
      case "h": return Duration.ofHours(amount);
      default: return null;
    }
  }

  private IllegalArgumentException invalid(String key, String value, String expected, Exception cause) {
    String source = fromSystemProperties.contains(key)
        ? "system property " + SYSTEM_PROPERTY_PREFIX + providerName + "." + key
        : "the client builder";
    IllegalArgumentException e = new IllegalArgumentException("Provider '" + providerName
        + "' setting '" + key + "' (from " + source + ") must be " + expected + ": '" + value + "'");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /** Returns true if {@code other} holds the same settings for the same provider. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ProviderSettings that && that.providerName.equals(providerName)
        && that.values.equals(values);
  }

  @Override
  public int hashCode() {
    return providerName.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return "ProviderSettings{" + providerName + " " + values + "}";
  }
}
