package dev.courier.tls.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits PEM text (RFC 7468) into its blocks: the label of each {@code -----BEGIN label-----} line,
 * any RFC 1421 headers (such as {@code Proc-Type: 4,ENCRYPTED}) and the decoded Base64 body. Text
 * outside blocks (openssl's "Bag Attributes", comments) is ignored.
 */
public final class PemBlocks {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** One block: its label, whether its headers say it is encrypted, and its DER bytes. */
  public record Block(String label, boolean encryptedHeader, byte[] der, int number) {}

  private PemBlocks() {}

  /**
   * Returns every block of {@code pem}, in order, numbered from 1.
   *
   * @param source names the text in messages, such as the file's path
   * @throws IOException naming {@code source} and the block if a block has no end line or its
   *     body is not Base64
   */
  public static List<Block> parse(String pem, String source) throws IOException {
    List<Block> result = new ArrayList<>();
    int position = 0;
    while (true) {
      int begin = pem.indexOf(BEGIN, position);
      if (begin == -1) {
        return result;
      }
      int labelEnd = pem.indexOf(DASHES, begin + BEGIN.length());
      if (labelEnd == -1) {
        throw new IOException(source + ": malformed PEM line at offset " + begin + " (no closing -----)");
      }
      String label = pem.substring(begin + BEGIN.length(), labelEnd);
      String endLine = END + label + DASHES;
      int end = pem.indexOf(endLine, labelEnd);
      if (end == -1) {
        throw new IOException(source + ": PEM block " + (result.size() + 1) + " (" + label
            + ") has no '" + endLine + "' line");
      }
      String body = pem.substring(labelEnd + DASHES.length(), end);
      boolean encrypted = false;
      int blankLine = headersEnd(body);
      if (blankLine != -1) {
        encrypted = body.substring(0, blankLine).contains("ENCRYPTED");
        body = body.substring(blankLine);
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""));
      } catch (IllegalArgumentException e) {
        throw new IOException(source + ": PEM block " + (result.size() + 1) + " (" + label
            + ") is not valid Base64: " + e.getMessage(), e);
      }
      result.add(new Block(label, encrypted, der, result.size() + 1));
      position = end + endLine.length();
    }
  }

  /** Returns where the body starts after RFC 1421 headers ("Name: value" lines), or -1 if none. */
  private static int headersEnd(String body) {
    String trimmed = body.stripLeading();
    int firstLineEnd = trimmed.indexOf('\n');
    String firstLine = firstLineEnd == -1 ? trimmed : trimmed.substring(0, firstLineEnd);
    if (!firstLine.contains(":")) {
      return -1;
    }
    int blank = body.indexOf("\n\n");
    int blankCrLf = body.indexOf("\r\n\r\n");
    if (blank == -1 && blankCrLf == -1) {
      return -1;
    }
    if (blank == -1 || (blankCrLf != -1 && blankCrLf < blank)) {
      return blankCrLf + 4;
    }
    return blank + 2;
  }
}
