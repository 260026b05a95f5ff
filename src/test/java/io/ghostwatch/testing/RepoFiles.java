package io.ghostwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (k8s/, helm/) read as YAML or JSON trees; tests run from the project root. */
public final class RepoFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private RepoFiles() {
    }

    public static Path path(String relative) {
        Path p = Path.of(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(relative + " not found from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse " + relative, e);
        }
    }

    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse " + relative, e);
        }
    }

    public static String yamlText(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
