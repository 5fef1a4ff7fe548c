/** Implementation details of {@code courier-jackson}; not promised to users. */
package dev.courier.jackson.internal;
