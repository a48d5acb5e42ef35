package dev.spa.ingest;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the request in hand, set by {@link BearerAuthFilter}. */
@RequestScoped
public class CurrentCaller {
    private ApiCaller caller;

    void set(ApiCaller caller) {
        this.caller = caller;
    }

    public ApiCaller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the request did not pass BearerAuthFilter");
        }
        return caller;
    }
}
