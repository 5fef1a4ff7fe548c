package dev.courier.examples;

import dev.courier.Protocol;
import dev.courier.chain.CourierClient;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Provider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.RouteSelectorProvider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prints, for each plug-in point, the providers discovered on the class path (name, priority,
 * protocols for codecs, class), highest priority first, and marks with {@code *} those that
 * {@code client} chose, and for what. Used by {@code courier --list-providers}.
 */
final class ProviderListing {
  private ProviderListing() {}

  /** Prints the listing for {@code client} to {@code out}. */
  static void print(CourierClient client, PrintStream out) {
    Map<String, String> chosen = client.chosenProviders();
    printPoint(out, ProtocolConnectionProvider.class, chosen);
    printPoint(out, RouteSelectorProvider.class, chosen);
    printPoint(out, EvictionPolicyProvider.class, chosen);
  }

  private static <P extends Provider> void printPoint(PrintStream out, Class<P> type,
      Map<String, String> chosen) {
    String point = type.getSimpleName();
    out.println(point + " (" + type.getName() + ")");
    List<P> providers = ProviderLoader.load(type);
    if (providers.isEmpty()) {
      out.println("    (none found)");
    }
    int width = 4;
    for (P provider : providers) {
      width = Math.max(width, provider.name().length());
    }
    boolean anyChosen = false;
    for (P provider : providers) {
      List<String> wins = new ArrayList<>();
      for (Map.Entry<String, String> entry : chosen.entrySet()) {
        if (entry.getValue().equals(provider.name()) && entry.getKey().startsWith(point)) {
          String what = entry.getKey().substring(point.length()).trim();
          wins.add(what.isEmpty() ? "chosen" : what);
        }
      }
      anyChosen |= !wins.isEmpty();
      StringBuilder line = new StringBuilder(wins.isEmpty() ? "    " : "  * ");
      line.append(pad(provider.name(), width)).append("  priority ").append(pad(Integer.toString(provider.priority()), 3));
      if (provider instanceof ProtocolConnectionProvider codec) {
        TreeSet<String> ids = new TreeSet<>();
        for (Protocol protocol : codec.protocols()) {
          ids.add(protocol.id());
        }
        line.append("  speaks ").append(String.join(", ", ids));
        if (codec.opensOwnTransport()) {
          line.append(" (own transport)");
        }
      }
      line.append("  ").append(provider.getClass().getName());
      if (!wins.isEmpty() && !wins.equals(List.of("chosen"))) {
        line.append("  <- chosen for ").append(String.join(", ", wins));
      }
      out.println(line);
    }
    if (!anyChosen && chosen.keySet().stream().noneMatch(key -> key.startsWith(point))) {
      out.println("    (none chosen: an instance given on the builder, or the built-in default)");
    }
  }

  private static String pad(String text, int width) {
    StringBuilder result = new StringBuilder(text);
    while (result.length() < width) {
      result.append(' ');
    }
    return result.toString();
  }
}
