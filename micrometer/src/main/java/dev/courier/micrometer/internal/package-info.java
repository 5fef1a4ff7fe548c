/** Implementation details of {@code courier-micrometer}; not promised to users. */
package dev.courier.micrometer.internal;
