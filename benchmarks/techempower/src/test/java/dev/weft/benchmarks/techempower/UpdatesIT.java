package dev.weft.benchmarks.techempower;

import static dev.weft.benchmarks.techempower.RunningApp.WORLDS_JSON;
import static dev.weft.benchmarks.techempower.RunningApp.assertServerAndDate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /updates}: what it answers is what it stored, and nothing else changes. */
class UpdatesIT {
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
    void updates_store_a_new_number_in_every_row_they_answer_and_touch_no_other() throws Exception {
        Map<Integer, Integer> before = app.worldTable();
        TestResponse response = app.client().get("/updates?queries=20");
        Map<Integer, Integer> after = app.worldTable();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertServerAndDate(response);
        assertThat(response.body()).matches(WORLDS_JSON);
        World[] worlds = RunningApp.worlds(response);
        assertThat(worlds).hasSize(20);
        Map<Integer, Integer> answered = new HashMap<>();
        for (World world : worlds) {
            answered.put(world.id(), world.randomNumber());
            assertThat(world.randomNumber()).isBetween(1, Database.WORLD_ROWS);
            assertThat(after).as("stored number of world %d", world.id()).containsEntry(world.id(), world.randomNumber());
            assertThat(before.get(world.id())).as("old number of world %d", world.id()).isNotEqualTo(world.randomNumber());
        }
        Map<Integer, Integer> untouched = new HashMap<>(after);
        untouched.keySet().removeAll(answered.keySet());
        Map<Integer, Integer> untouchedBefore = new HashMap<>(before);
        untouchedBefore.keySet().removeAll(answered.keySet());
        assertThat(untouched).isEqualTo(untouchedBefore);
    }

    @Test
    void a_row_drawn_twice_answers_the_number_that_was_stored() throws Exception {
        // 500 draws from 10,000 rows repeat a row with near certainty (1 - e^-12.5).
        World[] worlds = RunningApp.worlds(app.client().get("/updates?queries=500"));
        Map<Integer, Integer> after = app.worldTable();
        assertThat(worlds).hasSize(500);
        for (World world : worlds) {
            assertThat(after).as("stored number of world %d", world.id()).containsEntry(world.id(), world.randomNumber());
        }
    }
}
