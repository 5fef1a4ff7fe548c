/** Implementation details of {@code courier-spring}; not promised to users. */
package dev.courier.spring.internal;
