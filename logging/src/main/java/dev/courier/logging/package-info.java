/**
 * Logs HTTP requests and responses: see {@link dev.courier.logging.HttpLoggingInterceptor}.
 */
package dev.courier.logging;
