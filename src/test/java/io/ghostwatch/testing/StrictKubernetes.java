package io.ghostwatch.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates Kubernetes documents against the API types (fabric8's models of the Kubernetes API and of the
 * Prometheus Operator CRDs) <em>strictly</em>: a wrong type fails to bind, and an unknown or misspelled field,
 * which fabric8 would quietly keep in {@code additionalProperties}, is reported with its path.
 */
public final class StrictKubernetes {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/CronJob", CronJob.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private StrictKubernetes() {
    }

    /** Every non-empty document of a multi-document YAML text. */
    public static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("not YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** The problems of one document; empty when it is a valid object of a known kind. */
    public static List<String> problems(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String name = key + " " + doc.at("/metadata/name").asText("(no name)");
        Class<?> type = TYPES.get(key);
        List<String> problems = new ArrayList<>();
        if (type == null) {
            problems.add(name + ": unknown kind (known: " + TYPES.keySet() + ")");
            return problems;
        }
        Object object;
        try {
            object = MAPPER.treeToValue(stripNulls(doc.deepCopy()), type);
        } catch (IOException | IllegalArgumentException e) {
            problems.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
            return problems;
        }
        walk(object, name, problems);
        if (doc.at("/metadata/name").asText().isEmpty()) {
            problems.add(name + ": metadata.name is required");
        }
        return problems;
    }

    /** YAML's explicit nulls (an empty "labels:") bind as absent, as the API server treats them. */
    private static JsonNode stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> nulls = new ArrayList<>();
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    stripNulls(e.getValue());
                }
            });
            nulls.forEach(o::remove);
        } else if (node.isArray()) {
            node.forEach(StrictKubernetes::stripNulls);
        }
        return node;
    }

    private static void walk(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, problems));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                walk(child, path + "." + property(getter.getName()), problems);
            }
        }
    }

    private static String property(String getter) {
        String p = getter.substring(3);
        return Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
