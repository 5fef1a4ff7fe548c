package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;

/**
 * Makes store entries whose bytes follow from (index, version) alone, so that any entry read back
 * can be checked byte for byte: metadata {@code index=I version=V body=B} and the body of (I, B).
 */
final class EntryContent {
  /** What a verified entry said it was. */
  record Version(int index, int version, int bodyVersion) {}

  private EntryContent() {}

  static String key(int index) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("entry-" + index).getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (byte b : digest) {
        out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] body(int index, int version) {
    Random random = new Random(index * 1_000_003L + version);
    int length = random.nextInt(8) == 0 ? 0 : random.nextInt(24 * 1024);
    byte[] result = new byte[length];
    random.nextBytes(result);
    return result;
  }

  static byte[] metadata(int index, int version, int bodyVersion) {
    return ("index=" + index + " version=" + version + " body=" + bodyVersion)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes version {@code version} of entry {@code index}; returns false if another edit runs. */
  static boolean write(DiskStore store, int index, int version) throws IOException {
    StoreEditor editor = store.edit(key(index));
    if (editor == null) return false;
    try {
      BufferedSink sink = editor.newBodySink();
      sink.write(body(index, version));
      sink.flush();
      editor.commit(metadata(index, version, version));
      return true;
    } catch (IOException | RuntimeException e) {
      editor.abort();
      throw e;
    }
  }

  /** Replaces the metadata of the entry in {@code snapshot}, keeping its body; false if it changed. */
  static boolean updateMetadata(StoreSnapshot snapshot, int newVersion) throws IOException {
    Version current = parse(snapshot.metadata());
    StoreEditor editor = snapshot.edit();
    if (editor == null) return false;
    editor.commit(metadata(current.index(), newVersion, current.bodyVersion()));
    return true;
  }

  static Version parse(byte[] metadata) {
    String[] parts = new String(metadata, StandardCharsets.US_ASCII).split(" ");
    if (parts.length != 3 || !parts[0].startsWith("index=") || !parts[1].startsWith("version=")
        || !parts[2].startsWith("body=")) {
      throw new AssertionError("not entry metadata: " + new String(metadata, StandardCharsets.US_ASCII));
    }
    return new Version(Integer.parseInt(parts[0].substring(6)), Integer.parseInt(parts[1].substring(8)),
        Integer.parseInt(parts[2].substring(5)));
  }

  /**
   * Reads the whole snapshot and fails unless its key, metadata and body belong together; closes
   * the snapshot.
   */
  static Version verify(StoreSnapshot snapshot) throws IOException {
    try (snapshot) {
      Version version = parse(snapshot.metadata());
      if (!snapshot.key().equals(key(version.index()))) {
        throw new AssertionError("entry " + version + " stored under the wrong key " + snapshot.key());
      }
      Buffer body = new Buffer();
      try (okio.BufferedSource source = Okio.buffer(snapshot.bodySource())) {
        source.readAll(body);
      }
      byte[] expected = body(version.index(), version.bodyVersion());
      if (!Arrays.equals(body.readByteArray(), expected)) {
        throw new AssertionError("body of " + version + " differs from what was written");
      }
      return version;
    }
  }
}
