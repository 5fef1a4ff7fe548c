/**
 * Holds the connect step and the pool's engine: route selection, connecting, leases and cleanup.
 * Public for Courier's own modules; not promised to users.
 */
package dev.courier.pool.internal;
