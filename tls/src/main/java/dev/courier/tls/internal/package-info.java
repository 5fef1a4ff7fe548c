/** Holds implementation details of the tls module; not promised to users. */
package dev.courier.tls.internal;
