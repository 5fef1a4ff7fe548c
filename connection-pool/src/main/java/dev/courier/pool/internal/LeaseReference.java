package dev.courier.pool.internal;

import dev.courier.HttpUrl;
import java.lang.ref.WeakReference;

/**
 * Refers weakly to a {@link CallLease} held on a connection, and keeps the URL to name in a leak
 * report once the lease is collected.
 */
final class LeaseReference extends WeakReference<CallLease> {
  final HttpUrl url;

  LeaseReference(CallLease lease) {
    super(lease);
    this.url = lease.url();
  }
}
