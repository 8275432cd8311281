package dev.weft.benchmarks.techempower;

import static dev.weft.benchmarks.techempower.RunningApp.WORLDS_JSON;
import static dev.weft.benchmarks.techempower.RunningApp.WORLD_JSON;
import static dev.weft.benchmarks.techempower.RunningApp.assertServerAndDate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.weft.test.TestResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /db} and {@code /queries}: rows as stored; the count parameter as the rules read it. */
class WorldQueriesIT {
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
    void db_answers_one_stored_world_as_json() throws Exception {
        TestResponse response = app.client().get("/db");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertServerAndDate(response);
        assertThat(response.body()).matches(WORLD_JSON);
        World world = RunningApp.world(response);
        assertThat(world.id()).isBetween(1, Database.WORLD_ROWS);
        assertThat(app.worldTable()).containsEntry(world.id(), world.randomNumber());
    }

    @Test
    void db_picks_rows_at_random() {
        long distinct = Stream.generate(() -> RunningApp.world(app.client().get("/db")).id()).limit(20).distinct().count();
        assertThat(distinct).as("distinct ids in 20 requests").isGreaterThan(10);
    }

    @Test
    void queries_answers_as_many_stored_worlds_as_asked() throws Exception {
        TestResponse response = app.client().get("/queries?queries=20");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertServerAndDate(response);
        assertThat(response.body()).matches(WORLDS_JSON);
        World[] worlds = RunningApp.worlds(response);
        assertThat(worlds).hasSize(20);
        Map<Integer, Integer> table = app.worldTable();
        for (World world : worlds) {
            assertThat(table).containsEntry(world.id(), world.randomNumber());
        }
    }

    static Stream<Arguments> counts() {
        return Stream.of("/queries", "/updates").flatMap(path -> Stream.of(
                arguments(path, 1),
                arguments(path + "?queries=", 1),
                arguments(path + "?queries=abc", 1),
                arguments(path + "?queries=0", 1),
                arguments(path + "?queries=-1", 1),
                arguments(path + "?queries=1", 1),
                arguments(path + "?queries=7", 7),
                arguments(path + "?queries=500", 500),
                arguments(path + "?queries=501", 500),
                arguments(path + "?queries=99999999999", 500)));
    }

    @ParameterizedTest(name = "{0} answers {1}")
    @MethodSource("counts")
    void the_count_is_clamped_to_1_to_500_and_defaults_to_1(String target, int expected) {
        TestResponse response = app.client().get(target);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).matches(WORLDS_JSON);
        assertThat(RunningApp.worlds(response)).hasSize(expected);
    }
}
