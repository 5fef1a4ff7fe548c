package dev.courier.chain.internal;

import dev.courier.Interceptor;

/**
 * Marks the chain's own steps. A built-in step uses the chain it is given only while its {@code
 * intercept} runs, and reads it only between its calls to {@code proceed}, never during one; so the
 * chain can move itself on to the step's place and pass itself, instead of a copy (see {@link
 * RealInterceptorChain}). Package-private: no interceptor from outside the chain can claim it.
 */
interface BuiltInInterceptor extends Interceptor {}
