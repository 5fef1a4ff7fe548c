/**
 * Implements calls and the interceptor chain. Public classes here are not promised to users and
 * may change in any release.
 */
package dev.courier.chain.internal;
