/**
 * Sends and receives JSON bodies through a Jackson {@code ObjectMapper}: see {@link
 * dev.courier.jackson.JacksonBodies}.
 */
package dev.courier.jackson;
