package org.perpcore.gateway.http;

/**
 * Where the answer to one HTTP request goes. {@link #respond} may be called from any thread (the output stage
 * answers requests that went through the pipeline); exactly one call per request.
 */
public interface Responder {
    void respond(int status, CharSequence json);
}
