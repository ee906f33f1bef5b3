package dev.pipedesk.local.gateway;

import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.OpenApiContract;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The local gateway's API reference page ({@code GET /docs}), loaded as a browser would: the page,
 * then every script, style sheet, icon and image its HTML names, each served by the gateway itself
 * with the right content type; the initializer points Swagger UI at {@code /openapi.yaml}; no file
 * outside the page's fixed set can be reached; and every answer keeps {@code docs/api/openapi.yaml}.
 */
class ApiReferencePageTest {
    @TempDir
    static Path dir;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final OpenApiContract contract = OpenApiContract.ofThisCheckout();
    private static LocalApiGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = LocalApiGateway.start(0, new RouteTable(LocalFunctions.ROUTES), name -> null, List.of(),
                openApiDocumentOfThisCheckout(), LogSink.file("gateway", dir));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Path openApiDocumentOfThisCheckout() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path document = at.resolve("docs/api/openapi.yaml");
            if (Files.isRegularFile(document)) {
                return document;
            }
        }
        throw new IllegalStateException("no docs/api/openapi.yaml above " + Path.of("").toAbsolutePath());
    }

    /** GET through the gateway; the answer is checked against docs/api/openapi.yaml. */
    private static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + pathAndQuery)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        contract.check("GET", pathAndQuery, new ApiResponse(response.statusCode(), response.headers(),
                new String(response.body(), StandardCharsets.ISO_8859_1)));
        return response;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<byte[]> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    private static Document page() throws Exception {
        HttpResponse<byte[]> response = get("/docs");
        assertThat(response.statusCode()).isEqualTo(200);
        return Jsoup.parse(text(response), gateway.baseUrl() + "/docs");
    }

    /** What the page makes a browser load, each with the content type it must arrive as. */
    private record Loaded(String url, String expectedType) {
    }

    private static List<Loaded> everythingThePageLoads(Document page) {
        List<Loaded> loaded = new ArrayList<>();
        for (Element script : page.select("script[src]")) {
            loaded.add(new Loaded(script.absUrl("src"), "text/javascript"));
        }
        for (Element link : page.select("link[href]")) {
            String rel = link.attr("rel");
            loaded.add(new Loaded(link.absUrl("href"), rel.equals("stylesheet") ? "text/css" : "image/"));
        }
        for (Element image : page.select("img[src], source[src], source[srcset]")) {
            loaded.add(new Loaded(image.absUrl(image.hasAttr("src") ? "src" : "srcset"), "image/"));
        }
        return loaded;
    }

    @Test
    void servesAnHtmlPageWithItsSecurityAndCacheHeaders() throws Exception {
        HttpResponse<byte[]> response = get("/docs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(header(response, "cache-control")).isEqualTo("no-cache");
        assertThat(header(response, "etag")).matches("\"[0-9a-f]{16}\"");
        assertThat(header(response, "content-security-policy"))
                .contains("script-src 'self'", "default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval");
        assertThat(Jsoup.parse(text(response)).title()).isEqualTo("PipeDesk API reference");
    }

    @Test
    void everyScriptStyleSheetAndIconThePageNamesIsServedByTheGatewayWithItsContentType() throws Exception {
        List<Loaded> loaded = everythingThePageLoads(page());

        assertThat(loaded).extracting(Loaded::expectedType)
                .contains("text/javascript", "text/css", "image/");
        for (Loaded resource : loaded) {
            URI uri = URI.create(resource.url());
            assertThat(uri.getScheme() + "://" + uri.getAuthority()).as(resource.url() + " (no CDN)")
                    .isEqualTo(gateway.baseUrl().toString());
            assertThat(uri.getRawPath()).as(resource.url()).startsWith(ApiReferencePage.ASSET_PREFIX);

            HttpResponse<byte[]> response = get(uri.getRawPath() + "?" + uri.getRawQuery());

            assertThat(response.statusCode()).as(resource.url()).isEqualTo(200);
            assertThat(header(response, "content-type")).as(resource.url()).startsWith(resource.expectedType());
            assertThat(header(response, "x-content-type-options")).as(resource.url()).isEqualTo("nosniff");
            assertThat(response.body()).as(resource.url()).isNotEmpty();
        }
    }

    @Test
    void thePageHasNoInlineScriptForItsContentSecurityPolicyForbidsThem() throws Exception {
        Document page = page();

        assertThat(page.select("script:not([src])")).isEmpty();
        assertThat(page.select("[onload], [onclick], [onerror]")).isEmpty();
    }

    @Test
    void theInitializerPointsSwaggerUiAtTheGatewaysOwnOpenApiDocument() throws Exception {
        Document page = page();
        List<String> scripts = page.select("script[src]").eachAttr("abs:src");
        assertThat(scripts.getLast()).contains(ApiReferencePage.INITIALIZER);

        String initializer = text(get(URI.create(scripts.getLast()).getRawPath()));

        assertThat(initializer).contains("url: '/openapi.yaml'").contains("SwaggerUIBundle(")
                .doesNotContain("petstore").doesNotContain("http");
        HttpResponse<byte[]> document = get("/openapi.yaml");
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(text(document)).startsWith("openapi: 3.1.0");
    }

    /** Swagger UI refuses a whole document with a duplicated key ("Unable to render this definition"); Jackson alone keeps the last. */
    @Test
    void theDocumentThePageShowsHasNoDuplicatedKey() {
        YAMLMapper strict = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

        assertThatCode(() -> strict.readTree(Files.readString(openApiDocumentOfThisCheckout()))).doesNotThrowAnyException();
    }

    @Test
    void theSwaggerUiBundleIsTheWebjarsNotACopy() throws Exception {
        ApiReferencePage reference = ApiReferencePage.load();
        String webjarBundle = "META-INF/resources/webjars/swagger-ui/" + reference.swaggerUiVersion() + "/swagger-ui-bundle.js";
        byte[] expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(webjarBundle)) {
            assertThat(in).as(webjarBundle).isNotNull();
            expected = in.readAllBytes();
        }

        byte[] served = get("/docs/assets/swagger-ui-bundle.js").body();
        assertThat(Arrays.equals(served, expected)).as("the served bundle (%d bytes) is the webjar's (%d bytes)",
                served.length, expected.length).isTrue();
    }

    @Test
    void anAssetNamedWithItsDigestMayBeCachedForAYearAnyOtherIsRevalidated() throws Exception {
        String versioned = page().select("link[rel=stylesheet]").first().attr("href");
        String digest = versioned.substring(versioned.indexOf("?v=") + 3);

        HttpResponse<byte[]> current = get(versioned);
        HttpResponse<byte[]> unversioned = get("/docs/assets/swagger-ui.css");
        HttpResponse<byte[]> stale = get("/docs/assets/swagger-ui.css?v=0000000000000000");

        assertThat(header(current, "cache-control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(header(unversioned, "cache-control")).isEqualTo("no-cache");
        assertThat(header(stale, "cache-control")).isEqualTo("no-cache");
        assertThat(header(current, "etag")).isEqualTo('"' + digest + '"').isEqualTo(header(unversioned, "etag"));
    }

    @Test
    void answers304WithoutABodyWhenTheClientHoldsTheCurrentVersion() throws Exception {
        HttpResponse<byte[]> page = get("/docs");
        HttpResponse<byte[]> asset = get("/docs/assets/swagger-ui-bundle.js");

        HttpResponse<byte[]> pageAgain = get("/docs", "If-None-Match", header(page, "etag"));
        HttpResponse<byte[]> assetAgain = get("/docs/assets/swagger-ui-bundle.js",
                "If-None-Match", "\"0000000000000000\", " + header(asset, "etag"));
        HttpResponse<byte[]> otherTag = get("/docs/assets/swagger-ui-bundle.js", "If-None-Match", "\"0000000000000000\"");

        assertThat(pageAgain.statusCode()).isEqualTo(304);
        assertThat(pageAgain.body()).isEmpty();
        assertThat(header(pageAgain, "etag")).isEqualTo(header(page, "etag"));
        assertThat(assetAgain.statusCode()).isEqualTo(304);
        assertThat(assetAgain.body()).isEmpty();
        assertThat(otherTag.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(otherTag.body(), asset.body())).as("the whole bundle again").isTrue();
    }

    @Test
    void aFileOfTheWebjarThePageDoesNotUseIsNotServed() throws Exception {
        for (String file : List.of("swagger-initializer.js", "index.html", "oauth2-redirect.html", "swagger-ui.js",
                "swagger-ui-es-bundle.js", "SWAGGER-UI.CSS", "swagger-ui.css%00.png")) {
            HttpResponse<byte[]> response = get("/docs/assets/" + file);

            assertThat(response.statusCode()).as(file).isEqualTo(404);
            assertThat(header(response, "content-type")).as(file).isEqualTo("application/json");
        }
    }

    /**
     * Sent over a raw socket, byte for byte, so no client normalises the path first. Whatever the
     * gateway answers (404, 400), it is never a file: never 200, never anything but the JSON error.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "/docs/assets/../../pom.xml",
            "/docs/assets/..",
            "/docs/assets/../assets/swagger-ui.css",
            "/docs/assets/..%2f..%2fpom.xml",
            "/docs/assets/..%2F..%2Fopenapi.yaml",
            "/docs/assets/%2e%2e%2f%2e%2e%2fpom.xml",
            "/docs/assets/%2E%2E",
            "/docs/assets/%252e%252e%252fpom.xml",
            "/docs/assets/..%5c..%5cpom.xml",
            "/docs/assets/%c0%ae%c0%ae%c0%afpom.xml",
            "/docs/assets/..;/pom.xml",
            "/docs/assets/%2fetc%2fpasswd",
            "/docs/assets//etc/passwd",
            "/docs/assets/META-INF%2fresources%2fwebjars%2fswagger-ui%2f5.34.1%2findex.html",
            "/docs/assets/dev%2fpipedesk%2flocal%2fgateway%2fapi-reference%2fpipedesk-initializer.js",
            "/docs/../pom.xml",
            "/docs/assets/swagger-ui.css/..",
    })
    void aPathThatClimbsOrEncodesItsWayOutNamesNoFile(String rawPath) throws Exception {
        RawAnswer answer = rawGet(rawPath);

        assertThat(answer.status()).as(rawPath + "\n" + answer.head()).isIn(400, 404);
        assertThat(answer.head().toLowerCase()).as(rawPath).contains("content-type: application/json");
        assertThat(answer.body()).as(rawPath).startsWith("{\"error\":")
                .doesNotContain("<project").doesNotContain("root:").doesNotContain("SwaggerUIBundle");
    }

    @Test
    void aPlainRawRequestForAFileOfThePageIsServed() throws Exception {
        RawAnswer answer = rawGet("/docs/assets/index.css");

        assertThat(answer.status()).as(answer.head()).isEqualTo(200);
        assertThat(answer.head().toLowerCase()).contains("content-type: text/css; charset=utf-8");
        assertThat(answer.body()).contains("box-sizing");
    }

    private record RawAnswer(int status, String head, String body) {
    }

    private static RawAnswer rawGet(String rawPath) throws Exception {
        try (Socket socket = new Socket(gateway.baseUrl().getHost(), gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String answer = all.toString(StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String body = end < 0 ? "" : answer.substring(end + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new RawAnswer(status, head, body);
        }
    }

    @Test
    void theAssetsRouteServesExactlyThePagesFiles() {
        assertThat(ApiReferencePage.load().assetNames()).containsExactlyInAnyOrder("swagger-ui.css", "index.css",
                "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png", ApiReferencePage.INITIALIZER);
    }
}
