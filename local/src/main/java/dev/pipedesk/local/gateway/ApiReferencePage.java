package dev.pipedesk.local.gateway;

import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Hashes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The local gateway's API reference page ({@code GET /docs}): Swagger UI from the
 * {@code org.webjars:swagger-ui} jar on the classpath (no CDN) over the gateway's own
 * {@code /openapi.yaml}, and the fixed files it loads under {@value #ASSET_PREFIX}.
 *
 * <p>Only the files of {@link #ASSETS} are served, looked up by their exact name in a map read
 * once at start: a path such as {@code ../x} or {@code %2e%2e%2fx} names no entry and is a 404,
 * so nothing else of the classpath or the disk can be reached. Each asset URL the page names
 * carries {@code ?v=} and a digest of the file: with that exact digest the answer may be cached
 * for a year ({@code immutable}), without it the browser revalidates; every answer has an
 * {@code ETag}, and {@code If-None-Match} with it is a 304.
 *
 * <p>The page sends a Content-Security-Policy that allows scripts from the gateway only (so the
 * initializer that points Swagger UI at {@code /openapi.yaml} is a served file, not an inline
 * script); Swagger UI itself needs inline styles and {@code data:} images.
 */
public final class ApiReferencePage {
    /** Where the page's files are served from. */
    public static final String ASSET_PREFIX = "/docs/assets/";
    /** The page's initializer: points Swagger UI at {@code /openapi.yaml}. */
    public static final String INITIALIZER = "pipedesk-initializer.js";
    /** The page's Content-Security-Policy. */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            // /openapi.yaml, and "Try it out" against the stack (the spec's server is 127.0.0.1:3000).
            "connect-src 'self' http://127.0.0.1:* http://localhost:*",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
    static final String PAGE_CACHE_CONTROL = "no-cache";
    static final String VERSIONED_ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String UNVERSIONED_ASSET_CACHE_CONTROL = "no-cache";

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "dev/pipedesk/local/gateway/api-reference/";

    /** Where an asset comes from: the Swagger UI webjar (its version folder) or this module. */
    private enum Source { WEBJAR, OWN }

    /** The files the page loads, and nothing else. */
    private record AssetSpec(String name, Source source, String contentType) {
    }

    private static final List<AssetSpec> ASSETS = List.of(
            new AssetSpec("swagger-ui.css", Source.WEBJAR, "text/css; charset=utf-8"),
            new AssetSpec("index.css", Source.WEBJAR, "text/css; charset=utf-8"),
            new AssetSpec("swagger-ui-bundle.js", Source.WEBJAR, "text/javascript; charset=utf-8"),
            new AssetSpec("favicon-32x32.png", Source.WEBJAR, "image/png"),
            new AssetSpec("favicon-16x16.png", Source.WEBJAR, "image/png"),
            new AssetSpec(INITIALIZER, Source.OWN, "text/javascript; charset=utf-8"));

    /** A file ready to send: its bytes, content type and strong validator. */
    private record Asset(byte[] bytes, String contentType, String digest) {
        String etag() {
            return '"' + digest + '"';
        }
    }

    private final String swaggerUiVersion;
    private final Map<String, Asset> assets;
    private final Asset page;

    private ApiReferencePage(String swaggerUiVersion, Map<String, Asset> assets) {
        this.swaggerUiVersion = swaggerUiVersion;
        this.assets = Map.copyOf(assets);
        byte[] html = html(this.assets).getBytes(StandardCharsets.UTF_8);
        this.page = new Asset(html, "text/html; charset=utf-8", digest(html));
    }

    /**
     * Reads the page's files from the classpath.
     *
     * @throws IllegalStateException when the Swagger UI webjar or one of the files is missing
     */
    public static ApiReferencePage load() {
        ClassLoader loader = ApiReferencePage.class.getClassLoader();
        String version = webjarVersion(loader);
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (AssetSpec spec : ASSETS) {
            String resource = switch (spec.source()) {
                case WEBJAR -> WEBJAR + version + "/" + spec.name();
                case OWN -> OWN + spec.name();
            };
            byte[] bytes = read(loader, resource);
            assets.put(spec.name(), new Asset(bytes, spec.contentType(), digest(bytes)));
        }
        return new ApiReferencePage(version, assets);
    }

    /** The Swagger UI version served, e.g. {@code 5.34.1}. */
    public String swaggerUiVersion() {
        return swaggerUiVersion;
    }

    /** The names of the files served under {@link #ASSET_PREFIX}. */
    public List<String> assetNames() {
        return ASSETS.stream().map(AssetSpec::name).toList();
    }

    /** {@code GET /docs}. */
    HttpResult page(GatewayRequest request) {
        return send(request, page, PAGE_CACHE_CONTROL)
                .withHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .withHeader("referrer-policy", "no-referrer");
    }

    /** {@code GET /docs/assets/{file}}: one of {@link #ASSETS} by its exact name, else 404. */
    HttpResult asset(GatewayRequest request, String file) {
        Asset asset = file == null ? null : assets.get(file);
        if (asset == null) {
            return HttpResult.error(404, ErrorCode.NOT_FOUND, "The API reference page has no file of that name.");
        }
        boolean versioned = queryParameter(request.rawQuery(), "v").equals(asset.digest());
        return send(request, asset, versioned ? VERSIONED_ASSET_CACHE_CONTROL : UNVERSIONED_ASSET_CACHE_CONTROL);
    }

    private static HttpResult send(GatewayRequest request, Asset asset, String cacheControl) {
        boolean unchanged = request.headerValues("if-none-match").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .anyMatch(tag -> tag.equals(asset.etag()) || tag.equals("W/" + asset.etag()) || tag.equals("*"));
        HttpResult result = unchanged
                ? new HttpResult(304, List.of(), null)
                : new HttpResult(200, List.of(Map.entry("content-type", asset.contentType())), asset.bytes());
        return result.withHeader("etag", asset.etag())
                .withHeader("cache-control", cacheControl)
                .withHeader("x-content-type-options", "nosniff");
    }

    /** The page: the webjar's style sheets, icons and bundle, then the initializer, each with its digest. */
    private static String html(Map<String, Asset> assets) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                  <head>
                    <meta charset="UTF-8">
                    <title>PipeDesk API reference</title>
                    <link rel="stylesheet" type="text/css" href="%s">
                    <link rel="stylesheet" type="text/css" href="%s">
                    <link rel="icon" type="image/png" href="%s" sizes="32x32">
                    <link rel="icon" type="image/png" href="%s" sizes="16x16">
                  </head>
                  <body>
                    <div id="swagger-ui"></div>
                    <script src="%s" charset="UTF-8"></script>
                    <script src="%s" charset="UTF-8"></script>
                  </body>
                </html>
                """.formatted(url(assets, "swagger-ui.css"), url(assets, "index.css"),
                url(assets, "favicon-32x32.png"), url(assets, "favicon-16x16.png"),
                url(assets, "swagger-ui-bundle.js"), url(assets, INITIALIZER));
    }

    private static String url(Map<String, Asset> assets, String name) {
        return ASSET_PREFIX + name + "?v=" + assets.get(name).digest();
    }

    /** The first value of {@code name} in a raw query string, or "" (digests need no decoding). */
    private static String queryParameter(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return pair.substring(equals + 1);
            }
        }
        return "";
    }

    private static String webjarVersion(ClassLoader loader) {
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("The Swagger UI webjar (org.webjars:swagger-ui) is not on the classpath.");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + WEBJAR_PROPERTIES, e);
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException(WEBJAR_PROPERTIES + " names no version.");
        }
        return version.trim();
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The API reference page's file " + resource + " is not on the classpath.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** The first 16 hex digits of the bytes' SHA-256: the ETag and the {@code ?v=} of a file. */
    private static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(Hashes.sha256(bytes), 0, 8);
    }
}
