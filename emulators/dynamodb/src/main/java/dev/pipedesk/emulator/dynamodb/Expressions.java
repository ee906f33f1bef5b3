package dev.pipedesk.emulator.dynamodb;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB's expression language, the subset the emulator supports: top-level attribute paths
 * (plain names or {@code #placeholders}) and {@code :values};
 * <ul>
 * <li>update expressions: {@code SET a = operand, …} (operand: a value, a path,
 * {@code if_not_exists(path, operand)}, or {@code operand + operand} / {@code -}),
 * {@code ADD path :number}, {@code REMOVE path, …};</li>
 * <li>condition expressions: {@code attribute_exists(path)}, {@code attribute_not_exists(path)},
 * comparisons {@code = <> < <= > >=} on numbers and strings, {@code AND}, {@code OR},
 * {@code NOT}, parentheses.</li>
 * </ul>
 * Anything else is a {@code ValidationException}, so a caller never silently gets semantics
 * DynamoDB would not give it.
 */
final class Expressions {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(<>|<=|>=|[(),=<>+\\-]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_.]*)");

    private final List<String> tokens;
    private final Map<String, String> names;
    private final JsonNode values;
    private int position;

    private Expressions(String expression, JsonNode names, JsonNode values) {
        this.tokens = tokenize(expression);
        this.names = new java.util.HashMap<>();
        if (names != null) {
            names.properties().forEach(e -> this.names.put(e.getKey(), e.getValue().asString()));
        }
        this.values = values;
    }

    /** Whether {@code condition} holds for {@code item} (null: the item does not exist). */
    static boolean condition(String condition, JsonNode names, JsonNode values, ObjectNode item) {
        Expressions parser = new Expressions(condition, names, values);
        boolean result = parser.or(item);
        parser.expectEnd();
        return result;
    }

    /**
     * Applies {@code update} to {@code item} in place.
     *
     * @return the names of the attributes it set, added to or removed
     */
    static Set<String> update(String update, JsonNode names, JsonNode values, ObjectNode item) {
        Expressions parser = new Expressions(update, names, values);
        Set<String> touched = new LinkedHashSet<>();
        if (parser.atEnd()) {
            throw DynamoDbException.validation("Invalid UpdateExpression: The expression can not be empty");
        }
        while (!parser.atEnd()) {
            String clause = parser.next().toUpperCase(java.util.Locale.ROOT);
            do {
                switch (clause) {
                    case "SET" -> {
                        String path = parser.path();
                        parser.expect("=");
                        JsonNode value = parser.operand(item);
                        item.set(path, value);
                        touched.add(path);
                    }
                    case "ADD" -> {
                        String path = parser.path();
                        JsonNode addend = parser.value();
                        if (!addend.has("N")) {
                            throw DynamoDbException.validation("Invalid UpdateExpression: ADD supports numbers only here");
                        }
                        JsonNode current = item.get(path);
                        if (current != null && !current.has("N")) {
                            throw DynamoDbException.validation("An operand in the update expression has an incorrect data type");
                        }
                        BigDecimal sum = number(addend).add(current == null ? BigDecimal.ZERO : number(current));
                        item.set(path, numberNode(sum));
                        touched.add(path);
                    }
                    case "REMOVE" -> {
                        String path = parser.path();
                        item.remove(path);
                        touched.add(path);
                    }
                    default -> throw DynamoDbException.validation("Invalid UpdateExpression: unsupported clause " + clause);
                }
            } while (parser.accept(","));
        }
        return touched;
    }

    // --- conditions ----------------------------------------------------------------------------

    private boolean or(ObjectNode item) {
        boolean result = and(item);
        while (acceptKeyword("OR")) {
            boolean right = and(item);
            result = result || right;
        }
        return result;
    }

    private boolean and(ObjectNode item) {
        boolean result = not(item);
        while (acceptKeyword("AND")) {
            boolean right = not(item);
            result = result && right;
        }
        return result;
    }

    private boolean not(ObjectNode item) {
        if (acceptKeyword("NOT")) {
            return !not(item);
        }
        if (accept("(")) {
            boolean inner = or(item);
            expect(")");
            return inner;
        }
        String token = peek();
        if ("attribute_exists".equals(token) || "attribute_not_exists".equals(token)) {
            next();
            expect("(");
            String path = path();
            expect(")");
            boolean exists = item != null && item.has(path);
            return "attribute_exists".equals(token) == exists;
        }
        JsonNode left = operand(item);
        String comparator = next();
        JsonNode right = operand(item);
        return compare(left, comparator, right);
    }

    private static boolean compare(JsonNode left, String comparator, JsonNode right) {
        if (left == null || right == null) {
            return false;
        }
        int order;
        if (left.has("N") && right.has("N")) {
            order = number(left).compareTo(number(right));
        } else if (left.has("S") && right.has("S")) {
            order = left.get("S").asString().compareTo(right.get("S").asString());
        } else if ("=".equals(comparator)) {
            return left.equals(right);
        } else if ("<>".equals(comparator)) {
            return !left.equals(right);
        } else {
            return false;
        }
        return switch (comparator) {
            case "=" -> order == 0;
            case "<>" -> order != 0;
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            case ">=" -> order >= 0;
            default -> throw DynamoDbException.validation("Invalid ConditionExpression: unsupported comparator " + comparator);
        };
    }

    // --- operands ------------------------------------------------------------------------------

    /** A value, a path's value (null when absent), if_not_exists, or a sum/difference of those. */
    private JsonNode operand(ObjectNode item) {
        JsonNode result = single(item);
        while ("+".equals(peek()) || "-".equals(peek())) {
            boolean plus = "+".equals(next());
            JsonNode right = single(item);
            if (result == null || right == null || !result.has("N") || !right.has("N")) {
                throw DynamoDbException.validation("An operand in the update expression has an incorrect data type");
            }
            result = numberNode(plus ? number(result).add(number(right)) : number(result).subtract(number(right)));
        }
        return result;
    }

    private JsonNode single(ObjectNode item) {
        String token = peek();
        if (token == null) {
            throw DynamoDbException.validation("Invalid expression: unexpected end");
        }
        if (token.startsWith(":")) {
            return value();
        }
        if ("if_not_exists".equals(token)) {
            next();
            expect("(");
            String path = path();
            expect(",");
            JsonNode fallback = operand(item);
            expect(")");
            JsonNode current = item == null ? null : item.get(path);
            return current != null ? current : fallback;
        }
        String path = path();
        return item == null ? null : item.get(path);
    }

    private JsonNode value() {
        String token = next();
        if (token == null || !token.startsWith(":")) {
            throw DynamoDbException.validation("Invalid expression: expected a value, got " + token);
        }
        JsonNode value = values == null ? null : values.get(token);
        if (value == null) {
            throw DynamoDbException.validation("Value provided in ExpressionAttributeValues unused in expressions"
                    + " or undefined: " + token);
        }
        return value;
    }

    private String path() {
        String token = next();
        if (token == null) {
            throw DynamoDbException.validation("Invalid expression: expected an attribute");
        }
        if (token.startsWith("#")) {
            String name = names.get(token);
            if (name == null) {
                throw DynamoDbException.validation("An expression attribute name used in the document path is not defined;"
                        + " attribute name: " + token);
            }
            return name;
        }
        if (!Character.isLetter(token.charAt(0)) || token.contains(".")) {
            throw DynamoDbException.validation("Invalid expression: unsupported attribute path " + token);
        }
        return token;
    }

    // --- tokens --------------------------------------------------------------------------------

    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(expression);
        int at = 0;
        while (at < expression.length()) {
            if (expression.substring(at).isBlank()) {
                break;
            }
            if (!matcher.find(at) || matcher.start() != at) {
                throw DynamoDbException.validation("Invalid expression: syntax error near position " + at);
            }
            tokens.add(matcher.group(1));
            at = matcher.end();
        }
        return tokens;
    }

    private boolean atEnd() {
        return position >= tokens.size();
    }

    private String peek() {
        return atEnd() ? null : tokens.get(position);
    }

    private String next() {
        return atEnd() ? null : tokens.get(position++);
    }

    private boolean accept(String token) {
        if (token.equals(peek())) {
            position++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek() != null && keyword.equalsIgnoreCase(peek())) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw DynamoDbException.validation("Invalid expression: expected " + token + ", got " + peek());
        }
    }

    private void expectEnd() {
        if (!atEnd()) {
            throw DynamoDbException.validation("Invalid expression: unexpected " + peek());
        }
    }

    private static BigDecimal number(JsonNode typed) {
        return new BigDecimal(typed.get("N").asString());
    }

    private static JsonNode numberNode(BigDecimal value) {
        return JsonNodeFactory.instance.objectNode().put("N", value.stripTrailingZeros().toPlainString());
    }
}
