/**
 * Runs HTTP calls: {@link dev.courier.chain.CourierClient} configures and creates calls, {@link
 * dev.courier.chain.Dispatcher} schedules asynchronous ones, and each call travels down the
 * interceptor chain (application interceptors, retry and follow-up, bridge, cache slot, connect,
 * network interceptors, call server).
 */
package dev.courier.chain;
