package dev.weft.examples.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.Client;
import dev.weft.test.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TodoApiTest {
    private static final String TOKEN = "test-token";

    private static Client start(Transport transport) {
        return transport.start(TodoApi.app(new TodoStore(), TOKEN));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void creating_a_todo_answers_201_with_location_and_body(Transport transport) {
        try (Client client = start(transport)) {
            var created = client.post("/todos").json("{\"title\":\"  buy milk \"}").send();
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("location")).contains("/todos/1");
            assertThat(created.body()).isEqualTo("{\"id\":1,\"title\":\"buy milk\",\"done\":false}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_todo_can_be_read_updated_and_deleted(Transport transport) {
        try (Client client = start(transport)) {
            client.post("/todos").json("{\"title\":\"write docs\"}").send();
            assertThat(client.get("/todos/1").body()).contains("\"title\":\"write docs\"");
            var patched = client.patch("/todos/1").json("{\"done\":true}").send();
            assertThat(patched.status()).isEqualTo(200);
            assertThat(patched.body()).isEqualTo("{\"id\":1,\"title\":\"write docs\",\"done\":true}");
            assertThat(client.delete("/todos/1").status()).isEqualTo(204);
            assertThat(client.get("/todos/1").status()).isEqualTo(404);
            assertThat(client.delete("/todos/1").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void export_streams_every_todo_as_json_lines(Transport transport) {
        try (Client client = start(transport)) {
            client.post("/todos").json("{\"title\":\"a\"}").send();
            client.post("/todos").json("{\"title\":\"b\"}").send();

            var export = client.get("/todos/export");

            assertThat(export.status()).isEqualTo(200);
            assertThat(export.header("content-type")).contains("application/x-ndjson");
            assertThat(export.body()).isEqualTo("""
                    {"id":1,"title":"a","done":false}
                    {"id":2,"title":"b","done":false}
                    """);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void listing_filters_by_done_and_limits(Transport transport) {
        try (Client client = start(transport)) {
            for (String title : new String[] {"a", "b", "c"}) {
                client.post("/todos").json("{\"title\":\"" + title + "\"}").send();
            }
            client.patch("/todos/2").json("{\"done\":true}").send();
            assertThat(client.get("/todos?done=true").body()).isEqualTo("[{\"id\":2,\"title\":\"b\",\"done\":true}]");
            assertThat(client.get("/todos?limit=2").body()).contains("\"id\":1").contains("\"id\":2").doesNotContain("\"id\":3");
            var bad = client.get("/todos?done=maybe");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("\"parameter\":\"done\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_blank_title_is_422_through_the_exception_mapper(Transport transport) {
        try (Client client = start(transport)) {
            var response = client.post("/todos").json("{\"title\":\"   \"}").send();
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.body()).contains("\"detail\":\"title must not be blank\"").contains("\"pointer\":\"/title\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void bad_input_gets_precise_problems(Transport transport) {
        try (Client client = start(transport)) {
            assertThat(client.get("/todos/abc").status()).isEqualTo(400);
            assertThat(client.post("/todos").json("{\"title\":").send().status()).isEqualTo(400);
            assertThat(client.post("/todos").json("{\"title\":[1]}").send().status()).isEqualTo(422);
            assertThat(client.post("/todos").body("text/plain", "milk").send().status()).isEqualTo(415);
            var tooLarge = client.post("/todos").json("{\"title\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").send();
            assertThat(tooLarge.status()).isEqualTo(413);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void every_answer_carries_a_request_id_even_404(Transport transport) {
        try (Client client = start(transport)) {
            var echoed = client.request(dev.weft.http.Method.GET, "/nowhere").header("x-request-id", "abc-123").send();
            assertThat(echoed.status()).isEqualTo(404);
            assertThat(echoed.header("x-request-id")).contains("abc-123");
            assertThat(client.get("/todos").header("x-request-id")).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void admin_needs_the_token_but_unknown_admin_paths_stay_404(Transport transport) {
        try (Client client = start(transport)) {
            var refused = client.get("/admin/stats");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            var wrong = client.request(dev.weft.http.Method.GET, "/admin/stats")
                    .header("authorization", "Bearer not-" + TOKEN).send();
            assertThat(wrong.status()).isEqualTo(401);
            var ok = client.request(dev.weft.http.Method.GET, "/admin/stats")
                    .header("authorization", "Bearer " + TOKEN).send();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("{\"todos\":0}");
            assertThat(client.get("/admin/nothing-here").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void whoami_reports_the_peer(Transport transport) {
        try (Client client = start(transport)) {
            var response = client.request(dev.weft.http.Method.GET, "/whoami").header("user-agent", "tests").send();
            assertThat(response.body()).contains("\"peer\":\"127.0.0.1\"").contains("\"agent\":\"tests\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_browser_page_from_the_allowed_origin_may_call_the_api(Transport transport) {
        try (Client client = start(transport)) {
            var preflight = client.request(dev.weft.http.Method.OPTIONS, "/todos/1")
                    .header("origin", TodoApi.DEV_ORIGIN)
                    .header("access-control-request-method", "PATCH")
                    .header("access-control-request-headers", "content-type").send();
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).contains(TodoApi.DEV_ORIGIN);
            assertThat(preflight.header("access-control-allow-methods")).hasValueSatisfying(m -> assertThat(m).contains("PATCH"));
            var foreign = client.request(dev.weft.http.Method.OPTIONS, "/todos/1")
                    .header("origin", "https://evil.example")
                    .header("access-control-request-method", "DELETE").send();
            assertThat(foreign.status()).isEqualTo(403);
            var missing = client.request(dev.weft.http.Method.GET, "/nowhere").header("origin", TodoApi.DEV_ORIGIN).send();
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("access-control-allow-origin")).contains(TodoApi.DEV_ORIGIN);
            assertThat(missing.header("access-control-expose-headers"))
                    .hasValueSatisfying(v -> assertThat(v).contains("x-request-id"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void writes_are_rate_limited_per_client_and_reads_are_not(Transport transport) {
        var app = TodoApi.app(new TodoStore(), TOKEN, java.util.List.of(TodoApi.DEV_ORIGIN),
                dev.weft.ratelimit.Rate.perMinute(2));
        try (Client client = transport.start(app)) {
            assertThat(client.post("/todos").json("{\"title\":\"a\"}").send().status()).isEqualTo(201);
            var second = client.delete("/todos/1");
            assertThat(second.status()).isEqualTo(204);
            assertThat(second.header("ratelimit-policy")).isPresent();
            var third = client.post("/todos").json("{\"title\":\"b\"}").send();
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("content-type")).contains("application/problem+json");
            assertThat(third.header("retry-after")).isPresent();
            assertThat(third.header("x-request-id")).isPresent();
            for (int i = 0; i < 5; i++) {
                assertThat(client.get("/todos").status()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Transport.class)
    void a_long_list_is_compressed_for_a_client_that_accepts_gzip(Transport transport) throws Exception {
        try (Client client = start(transport)) {
            for (int i = 0; i < 40; i++) {
                client.post("/todos").json("{\"title\":\"todo number " + i + " with a longer title\"}").send();
            }
            var plain = client.get("/todos");
            assertThat(plain.header("content-encoding")).isEmpty();
            assertThat(plain.header("vary")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
            var gzipped = client.request(dev.weft.http.Method.GET, "/todos").header("accept-encoding", "gzip").send();
            assertThat(gzipped.header("content-encoding")).contains("gzip");
            byte[] inflated = new java.util.zip.GZIPInputStream(
                    new java.io.ByteArrayInputStream(gzipped.bodyBytes())).readAllBytes();
            assertThat(new String(inflated, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain.body());
        }
    }

    @org.junit.jupiter.api.Test
    void the_route_table_shows_the_stack_of_each_route() {
        String table = TodoApi.app(new TodoStore(), TOKEN).routeTable();
        assertThat(table).containsPattern("GET +/admin/stats +RequestId > AccessLog > Cors > Compression > BearerAuth");
        assertThat(table).containsPattern("DELETE +/todos/\\{id} +RequestId > AccessLog > Cors > Compression > RateLimit\\(writes");
        assertThat(table).containsPattern("GET +/todos +RequestId > AccessLog > Cors > Compression\n");
    }
}
