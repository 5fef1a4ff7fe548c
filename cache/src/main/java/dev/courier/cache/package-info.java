/**
 * Caches HTTP responses on disk as a private cache following RFC 9111 and RFC 5861: {@link
 * dev.courier.cache.Cache} fills the client's cache slot, {@link dev.courier.CacheControl}
 * (in the api module) reads and writes {@code Cache-Control} directives, and {@link dev.courier.cache.CacheStrategy}
 * decides, as a pure function, whether a stored response may answer a request.
 */
package dev.courier.cache;
