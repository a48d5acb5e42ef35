package dev.spa.local;

import dev.spa.testkit.KafkaBroker;
import dev.spa.testkit.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** One SCRAM user per service on a secured broker, with a fresh password and the ACLs it is given. */
final class KafkaUsers {
    private KafkaUsers() {
    }

    /** A service's Kafka identity, handed to it as the same environment variables its Kubernetes Deployment sets. */
    record User(String name, String password) {
        Map<String, String> environment(KafkaBroker kafka) {
            KafkaSecurity security = kafka.security().orElseThrow();
            return Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", KafkaSecurity.MECHANISM,
                    "KAFKA_SASL_JAAS_CONFIG", KafkaSecurity.jaas(name, password),
                    "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM", "KAFKA_SSL_TRUSTSTORE_LOCATION", security.certificate().toAbsolutePath().toString());
        }
    }

    /** Users {@code spa-<service>} for each service, each with the bindings {@code acls} holds for it (none if absent). */
    static Map<String, User> create(KafkaBroker kafka, List<String> services, Map<String, List<AclBinding>> acls) {
        Map<String, User> users = new LinkedHashMap<>();
        List<UserScramCredentialUpsertion> credentials = new ArrayList<>();
        List<AclBinding> bindings = new ArrayList<>();
        for (String service : services) {
            User user = new User("spa-" + service, KafkaSecurity.newUserPassword());
            users.put(service, user);
            credentials.add(new UserScramCredentialUpsertion(user.name(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), user.password()));
            bindings.addAll(acls.getOrDefault(user.name(), List.of()));
        }
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.alterUserScramCredentials(List.copyOf(credentials)).all().get();
            admin.createAcls(bindings).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the services' Kafka users and ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return users;
    }
}
