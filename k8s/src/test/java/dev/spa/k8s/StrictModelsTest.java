package dev.spa.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict reading itself: a misspelt field anywhere, in any kind, is an error that names it. */
class StrictModelsTest {
    private final StrictModels models = new StrictModels();

    private static JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text);
    }

    @Test
    void aCorrectDeploymentReadsAsATypedModel() throws Exception {
        Object d = models.read(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  replicas: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers: [{name: c, image: i, imagePullPolicy: Always}]
                """));
        assertInstanceOf(Deployment.class, d);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "apps/v1|Deployment|{replcas: 2}|replcas",
            "apps/v1|Deployment|{template: {spec: {containers: [{name: c, imagePullPolcy: Always}]}}}|imagePullPolcy",
            "policy/v1|PodDisruptionBudget|{maxUnavailabe: 1}|maxUnavailabe",
            "kafka.strimzi.io/v1beta2|KafkaTopic|{topicName: t, partitons: 3}|partitons",
            "keda.sh/v1alpha1|ScaledObject|{scaleTargetRef: {name: d}, maxReplicas: 3}|maxReplicas",
            "monitoring.coreos.com/v1|ServiceMonitor|{endpoints: [{port: http, pth: /q/metrics}]}|pth"})
    void aMisspeltFieldIsAnErrorNamingIt(String apiVersion, String kind, String spec, String field) throws Exception {
        JsonNode node = yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: x}\nspec: " + spec + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> models.read(node));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void aKindWithoutAModelIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> models.read(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")));
        assertTrue(e.getMessage().contains("no model"), e.getMessage());
    }
}
