package dev.courier.http2.internal;

import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Collections;
import java.util.Iterator;

/**
 * Hands header fields to Netty's HPACK coders as the {@link Http2Headers} they take; of it they call
 * only {@code add} (the decoder, once per field), {@code iterator} (the encoder) and {@code size}
 * (the decoder, after a block). Subclasses implement those over arrays of their own.
 *
 * <p>It extends Netty's {@link EmptyHeaders}, an empty read-only map, rather than Netty's
 * {@code DefaultHttp2Headers}: that map's hash table, entries, name and value validators and value
 * converter (some 15 classes, about 10 ms of class loading in a cold JVM) are never used here.
 * Whatever a subclass does not override behaves as the empty map: lookups find nothing and
 * changes other than {@code add} throw {@link UnsupportedOperationException}.
 */
abstract class HpackFields extends EmptyHeaders<CharSequence, CharSequence, Http2Headers>
    implements Http2Headers {

  @Override
  public Iterator<CharSequence> valueIterator(CharSequence name) {
    return Collections.emptyIterator();
  }

  @Override
  public Http2Headers method(CharSequence value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Http2Headers scheme(CharSequence value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Http2Headers authority(CharSequence value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Http2Headers path(CharSequence value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Http2Headers status(CharSequence value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CharSequence method() {
    return get(PseudoHeaderName.METHOD.value());
  }

  @Override
  public CharSequence scheme() {
    return get(PseudoHeaderName.SCHEME.value());
  }

  @Override
  public CharSequence authority() {
    return get(PseudoHeaderName.AUTHORITY.value());
  }

  @Override
  public CharSequence path() {
    return get(PseudoHeaderName.PATH.value());
  }

  @Override
  public CharSequence status() {
    return get(PseudoHeaderName.STATUS.value());
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
    return false;
  }

  /** Compares by identity: these are scratch lists, one per coder, never map keys or values. */
  @Override
  public final boolean equals(Object other) {
    return this == other;
  }

  @Override
  public final int hashCode() {
    return System.identityHashCode(this);
  }
}
