package dev.pipedesk.local.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code docs/api/openapi.yaml} as a checker of live answers: for a request's method and path it
 * finds the operation, and tells whether the response keeps the contract: its status is declared
 * for that operation, every header the response declares is present when required and valid when
 * present, the content type is a declared one, and the body is valid against the declared schema
 * (JSON Schema 2020-12 in the OpenAPI 3.1 dialect, formats asserted). A path the spec does not
 * declare must get the local gateway's 404, a declared path with another method its 405 (both as
 * the error envelope, as the spec's "Gateway-level answers" say).
 *
 * <p>Thread-safe; load it once per document.
 */
public final class OpenApiContract {
    /** Where the document is registered for the schema validator; never fetched. */
    private static final String DOCUMENT_IRI = "https://pipedesk.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String DOCUMENT = "docs/api/openapi.yaml";
    private static final String ERROR_SCHEMA = "/components/schemas/Error";

    /** One operation the document declares: {@code METHOD /path/{param}}, and whether only the local gateway serves it. */
    public record Operation(String method, String pathTemplate, boolean localOnly) {
        public String routeKey() {
            return method + " " + pathTemplate;
        }
    }

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> schemaByPointer = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .pathType(PathType.JSON_POINTER)
                .build();
        String json = Json.MAPPER.writeValueAsString(document);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemaRegistryConfig(config).schemas(Map.of(DOCUMENT_IRI, json)));
    }

    /** Reads an OpenAPI 3.1 document (YAML). */
    public static OpenApiContract load(Path document) {
        try {
            return new OpenApiContract(new YAMLMapper().readTree(Files.readString(document)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + document, e);
        }
    }

    /** {@code docs/api/openapi.yaml} of a checkout. */
    public static OpenApiContract ofCheckout(Path repoRoot) {
        return load(repoRoot.resolve(DOCUMENT));
    }

    /** {@code docs/api/openapi.yaml} of the checkout the tests run in (found from the working directory up). */
    public static OpenApiContract ofThisCheckout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(DOCUMENT))) {
                return ofCheckout(dir);
            }
        }
        throw new IllegalStateException("no " + DOCUMENT + " above " + Path.of("").toAbsolutePath());
    }

    /** Every path × method the document declares, local-only when its path (or itself) is marked {@code x-local-only: true}. */
    public Set<Operation> operations() {
        Set<Operation> operations = new LinkedHashSet<>();
        document.path("paths").properties().forEach(path -> {
            boolean pathLocalOnly = path.getValue().path("x-local-only").asBoolean(false);
            path.getValue().properties().forEach(entry -> {
                if (METHODS.contains(entry.getKey())) {
                    operations.add(new Operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                            pathLocalOnly || entry.getValue().path("x-local-only").asBoolean(false)));
                }
            });
        });
        return operations;
    }

    /**
     * What is wrong with this answer to {@code method path}; empty when it keeps the contract.
     *
     * @param path the request's path as sent (percent-encoded), a query string allowed
     */
    public List<String> violations(String method, String path, ApiResponse response) {
        String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String request = method.toUpperCase(Locale.ROOT) + " " + rawPath;
        List<String> violations = new ArrayList<>();
        Optional<String> template = pathTemplate(rawPath);
        if (template.isEmpty()) {
            gatewayAnswer(404, response, violations);
        } else {
            JsonNode operation = document.path("paths").path(template.get()).path(method.toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                gatewayAnswer(405, response, violations);
                if (response.header("allow").isEmpty()) {
                    violations.add("a 405 carries an allow header");
                }
            } else {
                String pointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT);
                checkOperation(pointer, operation, response, violations);
            }
        }
        return violations.stream().map(violation -> request + " -> " + response.status() + ": " + violation).toList();
    }

    /** Fails (AssertionError) when {@link #violations} finds anything, naming each violation and the response. */
    public void check(String method, String path, ApiResponse response) {
        List<String> violations = violations(method, path, response);
        if (!violations.isEmpty()) {
            throw new AssertionError("The response breaks docs/api/openapi.yaml:\n  " + String.join("\n  ", violations)
                    + "\nResponse: " + response);
        }
    }

    private void gatewayAnswer(int expectedStatus, ApiResponse response, List<String> violations) {
        String what = expectedStatus == 404 ? "a path the spec does not declare" : "a method the spec does not declare on this path";
        if (response.status() != expectedStatus) {
            violations.add(what + " answers " + expectedStatus + " from the gateway, not " + response.status());
            return;
        }
        validateJson(ERROR_SCHEMA, response.body(), violations);
    }

    private void checkOperation(String operationPointer, JsonNode operation, ApiResponse response, List<String> violations) {
        JsonNode responses = operation.path("responses");
        String status = Integer.toString(response.status());
        String key = responses.has(status) ? status
                : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            violations.add("status " + status + " is not declared (declared: " + responses.propertyNames() + ")");
            return;
        }
        Resolved declared = resolve(operationPointer + "/responses/" + escape(key), responses.path(key));
        checkHeaders(declared, response, violations);
        checkBody(declared, response, violations);
    }

    private void checkHeaders(Resolved declared, ApiResponse response, List<String> violations) {
        declared.node().path("headers").properties().forEach(entry -> {
            String name = entry.getKey();
            Resolved header = resolve(declared.pointer() + "/headers/" + escape(name), entry.getValue());
            List<String> values = response.headerValues(name);
            if (values.isEmpty()) {
                if (header.node().path("required").asBoolean(false)) {
                    violations.add("the required header " + name + " is missing");
                }
                return;
            }
            String schemaPointer = header.pointer() + "/schema";
            for (String value : values) {
                JsonNode typed = headerValue(value, header.node().path("schema"));
                if (typed == null) {
                    violations.add("header " + name + ": '" + value + "' is not a " + header.node().path("schema").path("type").asString());
                    continue;
                }
                schema(schemaPointer).validate(typed).forEach(error -> violations.add(describe("header " + name, error)));
            }
        });
    }

    /** A header value as the JSON value its schema's type asks for; null when it cannot be one. */
    private static JsonNode headerValue(String value, JsonNode schema) {
        String type = schema.path("type").asString("string");
        try {
            return switch (type) {
                case "integer" -> JsonNodeFactory.instance.numberNode(Long.parseLong(value.trim()));
                case "number" -> JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(value.trim()));
                case "boolean" -> value.equals("true") || value.equals("false")
                        ? JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value)) : null;
                default -> JsonNodeFactory.instance.stringNode(value);
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void checkBody(Resolved declared, ApiResponse response, List<String> violations) {
        JsonNode content = declared.node().path("content");
        boolean hasBody = response.body() != null && !response.body().isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody) {
                violations.add("the response declares no body, yet one came");
            }
            return;
        }
        if (!hasBody) {
            violations.add("the response declares a body (" + content.propertyNames() + "), none came");
            return;
        }
        String mediaType = response.header("content-type").map(type -> type.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        if (!content.has(mediaType)) {
            violations.add("content-type '" + mediaType + "' is not declared (declared: " + content.propertyNames() + ")");
            return;
        }
        String schemaPointer = declared.pointer() + "/content/" + escape(mediaType) + "/schema";
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            validateJson(schemaPointer, response.body(), violations);
        } else {
            schema(schemaPointer).validate(JsonNodeFactory.instance.stringNode(response.body()))
                    .forEach(error -> violations.add(describe("body", error)));
        }
    }

    private void validateJson(String schemaPointer, String body, List<String> violations) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            violations.add("the body is not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (json == null || json.isMissingNode()) {
            violations.add("the body is empty, a JSON body is declared");
            return;
        }
        schema(schemaPointer).validate(json).forEach(error -> violations.add(describe("body", error)));
    }

    /** e.g. {@code body at /start_time: does not match the date-time pattern ...}. */
    private static String describe(String what, Error error) {
        String location = error.getInstanceLocation().toString();
        return what + (location.isEmpty() ? "" : " at " + location) + ": " + error.getMessage();
    }

    /** The declared path template that matches a request path: literal segments before {@code {parameters}}. */
    private Optional<String> pathTemplate(String rawPath) {
        List<String> requestSegments = segments(rawPath);
        String best = null;
        List<Boolean> bestLiterals = null;
        for (String template : document.path("paths").propertyNames()) {
            List<String> templateSegments = segments(template);
            if (templateSegments.size() != requestSegments.size()) {
                continue;
            }
            List<Boolean> literals = new ArrayList<>();
            boolean matches = true;
            for (int i = 0; i < templateSegments.size() && matches; i++) {
                String segment = templateSegments.get(i);
                boolean parameter = segment.startsWith("{") && segment.endsWith("}");
                matches = parameter ? !requestSegments.get(i).isEmpty() : segment.equals(requestSegments.get(i));
                literals.add(!parameter);
            }
            if (matches && (best == null || moreLiteral(literals, bestLiterals))) {
                best = template;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean moreLiteral(List<Boolean> candidate, List<Boolean> current) {
        for (int i = 0; i < candidate.size(); i++) {
            if (!candidate.get(i).equals(current.get(i))) {
                return candidate.get(i);
            }
        }
        return false;
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return List.of(trimmed.split("/", -1));
    }

    /** A node of the document with {@code $ref}s followed, and the JSON pointer where it really stands. */
    private record Resolved(String pointer, JsonNode node) {
    }

    private Resolved resolve(String pointer, JsonNode node) {
        String at = pointer;
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            String ref = current.path("$ref").asString();
            if (!ref.startsWith("#/") || hops > 16) {
                throw new IllegalStateException("unsupported $ref " + ref + " at " + at);
            }
            at = ref.substring(1);
            current = document.at(at);
            if (current.isMissingNode()) {
                throw new IllegalStateException("dangling $ref " + ref);
            }
        }
        return new Resolved(at, current);
    }

    private Schema schema(String pointer) {
        return schemaByPointer.computeIfAbsent(pointer,
                p -> schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
    }

    /** One JSON pointer segment ({@code ~} and {@code /} escaped). */
    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
