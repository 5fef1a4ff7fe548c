package dev.courier.examples;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The streams the command-line client talks through, and whether a person is watching them.
 * Standard output is a raw byte stream (not a {@link PrintStream}, which would swallow a closed
 * pipe); standard error carries messages, progress and the verbose trace.
 */
final class CliConsole {
  final InputStream in;
  final OutputStream out;
  final PrintStream err;
  final boolean outIsTerminal;
  final boolean errIsTerminal;
  final int columns;

  CliConsole(InputStream in, OutputStream out, PrintStream err, boolean outIsTerminal,
      boolean errIsTerminal, int columns) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.outIsTerminal = outIsTerminal;
    this.errIsTerminal = errIsTerminal;
    this.columns = columns;
  }

  /** Returns the process's own standard streams, unbuffered, with terminals detected. */
  static CliConsole system() {
    return new CliConsole(
        new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out),
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
        isTerminal(1),
        isTerminal(2),
        columns());
  }

  /**
   * Returns true if file descriptor {@code fd} of this process is a terminal. On Linux the
   * descriptor's link names its device; elsewhere a console means both standard streams are one.
   */
  private static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    try {
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Returns the terminal's width from {@code COLUMNS}, or 80. */
  private static int columns() {
    String value = System.getenv("COLUMNS");
    try {
      return value == null ? 80 : Math.max(40, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
