/**
 * Binds a Courier {@link dev.courier.pool.ConnectionPool}'s statistics and events to Micrometer
 * meters: see {@link dev.courier.micrometer.CourierPoolMetrics}.
 */
package dev.courier.micrometer;
