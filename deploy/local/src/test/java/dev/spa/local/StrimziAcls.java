package dev.spa.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ACLs of the prod overlay's Strimzi {@code KafkaUser}s, as the Kafka bindings Strimzi's user operator
 * would create for them (allow, any host, principal {@code User:<name>}), so a test can put exactly those on a
 * real broker.
 */
final class StrimziAcls {
    private StrimziAcls() {
    }

    static Map<String, List<AclBinding>> read(Path file) throws IOException {
        Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && "KafkaUser".equals(doc.path("kind").asText())) {
                    String user = doc.path("metadata").path("name").asText();
                    byUser.put(user, bindings(user, doc.path("spec").path("authorization").path("acls")));
                }
            }
        }
        return byUser;
    }

    private static List<AclBinding> bindings(String user, JsonNode acls) {
        List<AclBinding> out = new ArrayList<>();
        for (JsonNode acl : acls) {
            JsonNode r = acl.path("resource");
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(r.path("type").asText()), r.path("name").asText(),
                    r.path("patternType").asText().equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL);
            for (JsonNode op : acl.path("operations")) {
                AclOperation operation = AclOperation.fromString(op.asText().toUpperCase(Locale.ROOT));
                if (operation == AclOperation.UNKNOWN) {
                    throw new IllegalArgumentException(user + ": unknown operation " + op.asText());
                }
                out.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        return out;
    }
}
