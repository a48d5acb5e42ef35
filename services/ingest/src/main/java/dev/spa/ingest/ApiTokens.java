package dev.spa.ingest;

import dev.spa.Sha256;
import dev.spa.SpaException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The REST API's bearer tokens, kept as SHA-256 hashes only: one entry per line (file) or per ';'
 * (inline), {@code <sha256-hex-of-token> <tenant> <role>[,<role>]}, from {@code spa.auth.tokens-file}
 * and {@code spa.auth.tokens} (SPA_AUTH_TOKENS). Ingest does not start with neither these nor an OpenID Connect
 * provider ({@link OidcTokens}): there is no open mode.
 */
@ApplicationScoped
public class ApiTokens {
    private static final Set<String> ROLES = Set.of(ApiCaller.SUBMIT, ApiCaller.READ, ApiCaller.ADMIN);

    @ConfigProperty(name = "spa.auth.tokens")
    Optional<String> inline;

    @ConfigProperty(name = "spa.auth.tokens-file")
    Optional<String> file;

    @jakarta.inject.Inject
    OidcTokens oidc;

    private final Map<String, ApiCaller> byHash = new HashMap<>();

    void onStart(@Observes StartupEvent event) throws IOException {
        inline.ifPresent(text -> parse(text.replace(';', '\n'), "spa.auth.tokens"));
        if (file.isPresent() && !file.get().isBlank()) {
            parse(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8), file.get());
        }
        if (byHash.isEmpty() && !oidc.enabled()) {
            throw new IllegalStateException("no API tokens: set spa.auth.oidc.issuer (SPA_OIDC_ISSUER) to an OpenID Connect provider, "
                    + "or spa.auth.tokens-file (SPA_AUTH_TOKENS_FILE) or spa.auth.tokens (SPA_AUTH_TOKENS) to lines of "
                    + "'<sha256 of the token> <tenant> <roles>'; ingest has no open mode");
        }
    }

    private void parse(String text, String source) {
        for (String line : text.split("\n")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split("\\s+");
            if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new SpaException(source + ": '" + entry.replaceAll("[0-9a-f]{64}", "<hash>")
                        + "' is not '<sha256-hex of the token> <tenant> <role>[,<role>]'");
            }
            Set<String> roles = Set.of(parts[2].split(","));
            if (!ROLES.containsAll(roles)) {
                throw new SpaException(source + ": unknown role in '" + parts[2] + "' (roles: submit, read, admin)");
            }
            byHash.put(parts[0], new ApiCaller(parts[1], roles));
        }
    }

    /** The caller a presented token belongs to, if any. */
    public Optional<ApiCaller> caller(String token) {
        return Optional.ofNullable(byHash.get(sha256(token)));
    }

    static String sha256(String token) {
        return Sha256.hex(token.getBytes(StandardCharsets.UTF_8));
    }
}
