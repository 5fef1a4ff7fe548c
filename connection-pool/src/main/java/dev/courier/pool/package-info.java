/**
 * Pools connections for reuse: {@link dev.courier.pool.ConnectionPool} and the eviction policies
 * that ship with it ({@link dev.courier.pool.IdleTimeEvictionPolicy},
 * {@link dev.courier.pool.PerAddressIdleEvictionPolicy}).
 */
package dev.courier.pool;
