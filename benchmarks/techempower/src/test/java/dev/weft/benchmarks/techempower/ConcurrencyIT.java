package dev.weft.benchmarks.techempower;

import static dev.weft.benchmarks.techempower.RunningApp.WORLDS_JSON;
import static dev.weft.benchmarks.techempower.RunningApp.WORLD_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many requests at once, more than the pool has connections (the build sets WEFT_DB_POOL=4). */
class ConcurrencyIT {
    private static final int REQUESTS = 200;
    private static final int THREADS = 16;

    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    @Timeout(120)
    void concurrent_db_and_updates_requests_all_succeed() throws Exception {
        List<Future<TestResponse>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(THREADS)) {
            for (int i = 0; i < REQUESTS; i++) {
                String target = i % 2 == 0 ? "/db" : "/updates?queries=20";
                answers.add(clients.submit(() -> app.client().get(target)));
            }
            for (int i = 0; i < REQUESTS; i++) {
                TestResponse response = answers.get(i).get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as("request %d: %s", i, response).isEqualTo(200);
                if (i % 2 == 0) {
                    assertThat(response.body()).matches(WORLD_JSON);
                } else {
                    assertThat(response.body()).matches(WORLDS_JSON);
                    assertThat(RunningApp.worlds(response)).hasSize(20);
                }
            }
        }
        assertThat(app.client().get("/db").status()).as("the pool still serves").isEqualTo(200);
    }
}
