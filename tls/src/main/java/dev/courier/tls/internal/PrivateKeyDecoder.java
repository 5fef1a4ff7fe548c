package dev.courier.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * Turns the PEM blocks of unencrypted private keys into {@link PrivateKey}s: PKCS#8 ({@code
 * PRIVATE KEY}, RFC 5208) of any algorithm the JDK knows, PKCS#1 RSA keys ({@code RSA PRIVATE
 * KEY}, RFC 8017 appendix A.1.2) and SEC1 EC keys ({@code EC PRIVATE KEY}, RFC 5915) with a named
 * curve. The last two are rewrapped as PKCS#8, which is what the JDK reads.
 */
public final class PrivateKeyDecoder {
  /** The labels of private key blocks this decoder reads or recognises. */
  public static final String PKCS8 = "PRIVATE KEY";
  public static final String PKCS1_RSA = "RSA PRIVATE KEY";
  public static final String SEC1_EC = "EC PRIVATE KEY";
  public static final String ENCRYPTED_PKCS8 = "ENCRYPTED PRIVATE KEY";

  private static final String CONVERT = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem";
  // AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters.
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
      (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  // OBJECT IDENTIFIER id-ecPublicKey (1.2.840.10045.2.1).
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48,
      (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final String[] PKCS8_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

  private PrivateKeyDecoder() {}

  /** Returns true if {@code label} is that of a private key block, encrypted or not. */
  public static boolean isPrivateKey(String label) {
    return label.equals(PKCS8) || label.equals(PKCS1_RSA) || label.equals(SEC1_EC)
        || label.equals(ENCRYPTED_PKCS8) || label.endsWith(" PRIVATE KEY");
  }

  /**
   * Decodes {@code block}.
   *
   * @param source names the file in messages
   * @throws IOException naming {@code source} if the key is encrypted, of an unknown kind or
   *     malformed, saying how to convert it where that helps
   */
  public static PrivateKey decode(PemBlocks.Block block, String source) throws IOException {
    String label = block.label();
    if (label.equals(ENCRYPTED_PKCS8) || block.encryptedHeader()) {
      throw new IOException(source + ": the private key is encrypted (" + label + "); Courier reads "
          + "only unencrypted keys. Decrypt it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem");
    }
    byte[] pkcs8;
    switch (label) {
      case PKCS8:
        pkcs8 = block.der();
        break;
      case PKCS1_RSA:
        pkcs8 = der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, der(0x04, block.der())));
        break;
      case SEC1_EC:
        pkcs8 = ecPkcs8(block.der(), source);
        break;
      default:
        throw new IOException(source + ": unsupported private key format (" + label + ")" + CONVERT);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    GeneralSecurityException last = null;
    for (String algorithm : PKCS8_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e; // Not this algorithm; try the next.
      }
    }
    IOException failure = new IOException(source + ": the private key (" + label
        + ") is malformed or of an algorithm this JDK does not know");
    failure.initCause(last);
    throw failure;
  }

  /** Wraps a SEC1 ECPrivateKey with a named curve in a PKCS#8 PrivateKeyInfo. */
  private static byte[] ecPkcs8(byte[] sec1, String source) throws IOException {
    // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING,
    //     parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
    DerReader sequence = new DerReader(sec1, source).enter(0x30);
    sequence.skip(0x02);
    sequence.skip(0x04);
    byte[] curve = sequence.hasNext() && sequence.peekTag() == 0xa0 ? sequence.enter(0xa0).rest() : null;
    if (curve == null || curve.length == 0 || curve[0] != 0x06) {
      throw new IOException(source + ": the EC private key does not name its curve" + CONVERT);
    }
    byte[] algorithm = der(0x30, concat(EC_PUBLIC_KEY_OID, curve));
    return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, sec1)));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Returns a DER element of {@code tag} holding {@code content}. */
  private static byte[] der(int tag, byte[] content) {
    int length = content.length;
    int lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
    byte[] result = new byte[2 + lengthBytes + length];
    result[0] = (byte) tag;
    if (lengthBytes == 0) {
      result[1] = (byte) length;
    } else {
      result[1] = (byte) (0x80 | lengthBytes);
      for (int i = 0; i < lengthBytes; i++) {
        result[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
      }
    }
    System.arraycopy(content, 0, result, 2 + lengthBytes, length);
    return result;
  }

  /** Reads DER elements one after another within a range; just enough for SEC1 keys. */
  private static final class DerReader {
    private final byte[] bytes;
    private final String source;
    private int position;
    private final int limit;

    DerReader(byte[] bytes, String source) {
      this(bytes, source, 0, bytes.length);
    }

    private DerReader(byte[] bytes, String source, int start, int limit) {
      this.bytes = bytes;
      this.source = source;
      this.position = start;
      this.limit = limit;
    }

    boolean hasNext() {
      return position < limit;
    }

    int peekTag() {
      return bytes[position] & 0xff;
    }

    /** Returns a reader over the content of the next element, which must have {@code tag}. */
    DerReader enter(int tag) throws IOException {
      int contentStart = header(tag);
      int length = contentLength;
      position = contentStart + length;
      return new DerReader(bytes, source, contentStart, contentStart + length);
    }

    void skip(int tag) throws IOException {
      int contentStart = header(tag);
      position = contentStart + contentLength;
    }

    byte[] rest() {
      byte[] result = new byte[limit - position];
      System.arraycopy(bytes, position, result, 0, result.length);
      position = limit;
      return result;
    }

    private int contentLength;

    private int header(int tag) throws IOException {
      if (position + 2 > limit || (bytes[position] & 0xff) != tag) {
        throw malformed();
      }
      int lengthByte = bytes[position + 1] & 0xff;
      int index = position + 2;
      int length;
      if (lengthByte < 0x80) {
        length = lengthByte;
      } else {
        int count = lengthByte & 0x7f;
        if (count == 0 || count > 3 || index + count > limit) {
          throw malformed();
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (bytes[index++] & 0xff);
        }
      }
      if (index + length > limit) {
        throw malformed();
      }
      contentLength = length;
      return index;
    }

    private IOException malformed() {
      return new IOException(source + ": the EC private key (EC PRIVATE KEY) is malformed");
    }
  }
}
