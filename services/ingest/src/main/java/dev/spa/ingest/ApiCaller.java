package dev.spa.ingest;

import java.util.Set;

/** Who calls the REST API: the tenant their token belongs to, and its roles (submit, read, admin). */
public record ApiCaller(String tenant, Set<String> roles) {
    public static final String SUBMIT = "submit";
    public static final String READ = "read";
    public static final String ADMIN = "admin";

    public boolean may(String role) {
        return roles.contains(role) || roles.contains(ADMIN);
    }

    /** Whether the caller sees a job: its own tenant's, or every one for an admin. */
    public boolean sees(String owner) {
        return roles.contains(ADMIN) || tenant.equals(owner);
    }
}
