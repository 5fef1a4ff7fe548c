package dev.courier.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes deterministic text for the WebSocket tests: words from a small vocabulary (with a few
 * non-ASCII ones) and a stream of JSON log events such as an application would send.
 */
final class TextStream {
  private static final String[] WORDS = {
    "order", "shipped", "payment", "checked", "warehouse", "customer", "invoice", "the", "to",
    "after", "retry", "queue", "latency", "cache", "miss", "hit", "café", "naïve", "Grüße",
    "東京", "ok", "error", "timeout", "connection", "pool", "request", "response", "stream"};
  private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
  private static final String[] SERVICES = {"orders", "billing", "search", "accounts", "gateway"};

  private TextStream() {}

  /** Returns text of exactly {@code length} chars, no line breaks, from the vocabulary. */
  static String text(int length, Random random) {
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    text.setLength(length);
    return text.toString();
  }

  /** Returns one JSON log event, about 200 to 300 bytes. */
  static String event(long sequence, Random random) {
    return "{\"seq\":" + sequence
        + ",\"time\":\"2026-12-04T23:" + (10 + random.nextInt(50)) + ":" + (10 + random.nextInt(50))
        + "." + (100 + random.nextInt(900)) + "Z\""
        + ",\"level\":\"" + LEVELS[random.nextInt(LEVELS.length)] + "\""
        + ",\"service\":\"" + SERVICES[random.nextInt(SERVICES.length)] + "\""
        + ",\"user\":\"user-" + random.nextInt(10_000) + "\""
        + ",\"message\":\"" + text(40 + random.nextInt(80), random).trim() + "\""
        + ",\"latencyMs\":" + random.nextInt(2_000)
        + ",\"tags\":[\"eu-west-1\",\"build-" + random.nextInt(20) + "\"]}";
  }

  /**
   * Returns {@code count} messages of a text-heavy stream: single JSON log events, and every
   * twentieth message a batch of 20 events as a JSON array.
   */
  static List<String> messages(int count, Random random) {
    List<String> messages = new ArrayList<>(count);
    long sequence = 0;
    for (int i = 0; i < count; i++) {
      if (i % 20 == 19) {
        StringBuilder batch = new StringBuilder("[");
        for (int j = 0; j < 20; j++) {
          batch.append(j == 0 ? "" : ",").append(event(sequence++, random));
        }
        messages.add(batch.append(']').toString());
      } else {
        messages.add(event(sequence++, random));
      }
    }
    return messages;
  }
}
