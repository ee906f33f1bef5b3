package dev.pipedesk.emulator.dynamodb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pipedesk.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB on one machine, in this JVM on 127.0.0.1: the JSON 1.0 wire protocol
 * ({@code X-Amz-Target: DynamoDB_20120810.<Operation>}) for the operations PipeDesk uses —
 * {@code CreateTable}, {@code DescribeTable}, {@code DeleteTable}, {@code ListTables},
 * {@code UpdateTimeToLive}, {@code DescribeTimeToLive}, {@code GetItem}, {@code PutItem},
 * {@code UpdateItem} (with the expression subset of {@link Expressions}) — so the real AWS SDK v2
 * client talks to it as to DynamoDB. Every item operation on a table is atomic. Requests are not
 * authenticated (any credentials work). Not emulated: capacity and throttling, indexes, queries,
 * scans, transactions, streams; TTL deletion happens only through {@link #deleteExpiredItems}
 * (DynamoDB deletes expired items within days, and reads may still return them meanwhile).
 *
 * <p>Why not DynamoDB Local: its licence is the vendor's own, not an open-source one.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    public static final String REGION = "us-east-1";
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    public static final String ACCOUNT_ID = "000000000000";

    private final HttpServer server;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final AtomicLong itemRequests = new AtomicLong();

    private DynamoDbEmulator(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port the port; 0 picks a free one
     * @throws IOException when it cannot listen (e.g. the port is in use)
     */
    public static DynamoDbEmulator start(int port) throws IOException {
        // TCP_NODELAY on the JDK HttpServer's connections (read once per JVM, before the first server
        // starts): without it Nagle's algorithm meets the client's delayed ACK and answers wait ~40 ms.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        DynamoDbEmulator emulator = new DynamoDbEmulator(server);
        server.createContext("/", emulator::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return emulator;
    }

    /** e.g. {@code http://127.0.0.1:8000}: the SDK's endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many item operations (GetItem, PutItem, UpdateItem) it has answered, failed ones included. */
    public long itemRequests() {
        return itemRequests.get();
    }

    /** An item by its key attributes (typed values, e.g. {@code {"pk":{"S":"x"}}} as JSON), if present. */
    public Optional<JsonNode> item(String table, Map<String, JsonNode> key) {
        Table t = tables.get(table);
        if (t == null) {
            return Optional.empty();
        }
        ObjectNode keyNode = JsonNodeFactory.instance.objectNode();
        key.forEach(keyNode::set);
        return Optional.ofNullable(t.items.get(t.keyOf(keyNode)));
    }

    /**
     * Deletes the table's items whose TTL attribute (epoch seconds) is before {@code now}, as
     * DynamoDB's TTL eventually does.
     *
     * @return how many were deleted
     */
    public int deleteExpiredItems(String tableName, Instant now) {
        Table table = tables.get(tableName);
        if (table == null || table.ttlAttribute == null) {
            return 0;
        }
        int deleted = 0;
        synchronized (table) {
            var entries = table.items.entrySet().iterator();
            while (entries.hasNext()) {
                JsonNode expiry = entries.next().getValue().get(table.ttlAttribute);
                if (expiry != null && expiry.has("N")
                        && new java.math.BigDecimal(expiry.get("N").asString()).longValue() < now.getEpochSecond()) {
                    entries.remove();
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- protocol ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int status = 200;
            JsonNode answer;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw new DynamoDbException("UnknownOperationException", "Unknown operation " + target);
                }
                JsonNode request;
                try (InputStream body = exchange.getRequestBody()) {
                    request = Json.MAPPER.readTree(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    throw new DynamoDbException("SerializationException", "The request body is not valid JSON");
                }
                answer = dispatch(target.substring(TARGET_PREFIX.length()), request);
            } catch (DynamoDbException e) {
                status = 400;
                answer = JsonNodeFactory.instance.objectNode().put("__type", ERROR_PREFIX + e.type()).put("message", e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                answer = JsonNodeFactory.instance.objectNode().put("__type", ERROR_PREFIX + "InternalServerError")
                        .put("message", String.valueOf(e.getMessage()));
            }
            byte[] bytes = Json.MAPPER.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private JsonNode dispatch(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateTable" -> createTable(request);
            case "DescribeTable" -> object().set("Table", table(request).describe());
            case "DeleteTable" -> {
                Table table = table(request);
                tables.remove(table.name);
                yield object().set("TableDescription", table.describe());
            }
            case "ListTables" -> {
                ArrayNode names = JsonNodeFactory.instance.arrayNode();
                tables.keySet().stream().sorted().forEach(names::add);
                yield object().set("TableNames", names);
            }
            case "UpdateTimeToLive" -> updateTimeToLive(request);
            case "DescribeTimeToLive" -> {
                Table table = table(request);
                ObjectNode description = object().put("TimeToLiveStatus", table.ttlAttribute == null ? "DISABLED" : "ENABLED");
                if (table.ttlAttribute != null) {
                    description.put("AttributeName", table.ttlAttribute);
                }
                yield object().set("TimeToLiveDescription", description);
            }
            case "GetItem" -> getItem(request);
            case "PutItem" -> putItem(request);
            case "UpdateItem" -> updateItem(request);
            default -> throw new DynamoDbException("UnknownOperationException", "Operation " + operation
                    + " is not supported by the PipeDesk DynamoDB emulator");
        };
    }

    private JsonNode createTable(JsonNode request) {
        String name = text(request, "TableName");
        JsonNode keySchema = request.get("KeySchema");
        if (keySchema == null || !keySchema.isArray() || keySchema.isEmpty()) {
            throw DynamoDbException.validation("KeySchema is required");
        }
        List<String> keyNames = new ArrayList<>();
        keySchema.forEach(element -> keyNames.add(text(element, "AttributeName")));
        Table table = new Table(name, keyNames, request.get("KeySchema"), request.get("AttributeDefinitions"), Instant.now());
        if (tables.putIfAbsent(name, table) != null) {
            throw new DynamoDbException("ResourceInUseException", "Table already exists: " + name);
        }
        return object().set("TableDescription", table.describe());
    }

    private JsonNode updateTimeToLive(JsonNode request) {
        Table table = table(request);
        JsonNode specification = request.get("TimeToLiveSpecification");
        if (specification == null) {
            throw DynamoDbException.validation("TimeToLiveSpecification is required");
        }
        synchronized (table) {
            table.ttlAttribute = specification.path("Enabled").asBoolean(false) ? text(specification, "AttributeName") : null;
        }
        return object().set("TimeToLiveSpecification", specification);
    }

    private JsonNode getItem(JsonNode request) {
        itemRequests.incrementAndGet();
        Table table = table(request);
        ObjectNode item = table.items.get(table.keyOf(request.get("Key")));
        return item == null ? object() : object().set("Item", item.deepCopy());
    }

    private JsonNode putItem(JsonNode request) {
        itemRequests.incrementAndGet();
        Table table = table(request);
        JsonNode item = request.get("Item");
        if (item == null || !item.isObject()) {
            throw DynamoDbException.validation("Item is required");
        }
        String key = table.keyOf(item);
        synchronized (table) {
            ObjectNode old = table.items.get(key);
            checkCondition(request, old);
            table.items.put(key, ((ObjectNode) item).deepCopy());
            return "ALL_OLD".equals(request.path("ReturnValues").asString("NONE")) && old != null
                    ? object().set("Attributes", old) : object();
        }
    }

    private JsonNode updateItem(JsonNode request) {
        itemRequests.incrementAndGet();
        Table table = table(request);
        JsonNode keyNode = request.get("Key");
        String key = table.keyOf(keyNode);
        String update = request.path("UpdateExpression").asString(null);
        if (update == null) {
            throw DynamoDbException.validation("Only UpdateExpression is supported (not AttributeUpdates)");
        }
        synchronized (table) {
            ObjectNode old = table.items.get(key);
            checkCondition(request, old);
            ObjectNode updated = old == null ? object() : old.deepCopy();
            Set<String> touched = Expressions.update(update, request.get("ExpressionAttributeNames"),
                    request.get("ExpressionAttributeValues"), updated);
            for (String name : table.keyNames) {
                if (touched.contains(name)) {
                    throw DynamoDbException.validation("Cannot update attribute " + name + ". This attribute is part of the key");
                }
                updated.set(name, keyNode.get(name));
            }
            table.items.put(key, updated);
            return switch (request.path("ReturnValues").asString("NONE")) {
                case "ALL_NEW" -> object().set("Attributes", updated.deepCopy());
                case "ALL_OLD" -> old == null ? object() : object().set("Attributes", old);
                case "UPDATED_NEW" -> {
                    ObjectNode attributes = object();
                    touched.stream().filter(updated::has).forEach(name -> attributes.set(name, updated.get(name)));
                    yield object().set("Attributes", attributes);
                }
                case "NONE" -> object();
                default -> throw DynamoDbException.validation("Unsupported ReturnValues " + request.path("ReturnValues").asString());
            };
        }
    }

    private static void checkCondition(JsonNode request, ObjectNode current) {
        String condition = request.path("ConditionExpression").asString(null);
        if (condition != null && !Expressions.condition(condition, request.get("ExpressionAttributeNames"),
                request.get("ExpressionAttributeValues"), current)) {
            throw DynamoDbException.conditionFailed();
        }
    }

    private Table table(JsonNode request) {
        String name = text(request, "TableName");
        Table table = tables.get(name);
        if (table == null) {
            throw DynamoDbException.tableNotFound(name);
        }
        return table;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw DynamoDbException.validation(field + " is required");
        }
        return value.asString();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A table: its key attributes, TTL attribute and items by key. */
    private static final class Table {
        final String name;
        final List<String> keyNames;
        final JsonNode keySchema;
        final JsonNode attributeDefinitions;
        final Instant created;
        final Map<String, ObjectNode> items = new ConcurrentHashMap<>();
        volatile String ttlAttribute;

        Table(String name, List<String> keyNames, JsonNode keySchema, JsonNode attributeDefinitions, Instant created) {
            this.name = name;
            this.keyNames = List.copyOf(keyNames);
            this.keySchema = keySchema;
            this.attributeDefinitions = attributeDefinitions;
            this.created = created;
        }

        /** The item's key as a string: its key attributes' typed values, in key-schema order. */
        String keyOf(JsonNode item) {
            if (item == null || !item.isObject()) {
                throw DynamoDbException.validation("The provided key element does not match the schema");
            }
            StringBuilder key = new StringBuilder();
            for (String name : keyNames) {
                JsonNode value = item.get(name);
                if (value == null) {
                    throw DynamoDbException.validation("The provided key element does not match the schema");
                }
                key.append(Json.write(value)).append('\u0000');
            }
            return key.toString();
        }

        ObjectNode describe() {
            ObjectNode description = object()
                    .put("TableName", name)
                    .put("TableStatus", "ACTIVE")
                    .put("TableArn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + name)
                    .put("CreationDateTime", created.getEpochSecond())
                    .put("ItemCount", items.size());
            description.set("KeySchema", keySchema);
            if (attributeDefinitions != null) {
                description.set("AttributeDefinitions", attributeDefinitions);
            }
            description.set("BillingModeSummary", object().put("BillingMode", "PAY_PER_REQUEST"));
            return description;
        }
    }
}
