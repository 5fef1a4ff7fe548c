/**
 * Runs Spring Framework's {@code RestClient} and {@code RestTemplate} on Courier: see {@link
 * dev.courier.spring.CourierClientHttpRequestFactory}.
 */
package dev.courier.spring;
