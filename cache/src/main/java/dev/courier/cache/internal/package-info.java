/**
 * Implements the cache: the interceptor, response storage with JSON metadata, background
 * revalidation, and the crash-safe journaled disk store. Public classes here are not promised to
 * users and may change in any release.
 */
package dev.courier.cache.internal;
