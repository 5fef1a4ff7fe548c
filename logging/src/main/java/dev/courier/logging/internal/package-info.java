/** Implementation details of {@code courier-logging}; not promised to users. */
package dev.courier.logging.internal;
