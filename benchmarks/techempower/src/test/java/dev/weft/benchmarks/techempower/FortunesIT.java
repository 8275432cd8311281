package dev.weft.benchmarks.techempower;

import static dev.weft.benchmarks.techempower.RunningApp.assertServerAndDate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.test.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FortunesIT {
    /** The page the rules expect for the standard data: sorted by message, escaped, one fortune added. */
    private static final String EXPECTED = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            + "<tr><th>id</th><th>message</th></tr>"
            + "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>"
            + "<tr><td>4</td><td>A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1</td></tr>"
            + "<tr><td>5</td><td>A computer program does what you tell it to do, not what you want it to do.</td></tr>"
            + "<tr><td>2</td><td>A computer scientist is someone who fixes things that aren&#39;t broken.</td></tr>"
            + "<tr><td>8</td><td>A list is only as strong as its weakest link. \u2014 Donald Knuth</td></tr>"
            + "<tr><td>0</td><td>Additional fortune added at request time.</td></tr>"
            + "<tr><td>3</td><td>After enough decimal places, nobody gives a damn.</td></tr>"
            + "<tr><td>7</td><td>Any program that runs right is obsolete.</td></tr>"
            + "<tr><td>10</td><td>Computers make very fast, very accurate mistakes.</td></tr>"
            + "<tr><td>6</td><td>Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen</td></tr>"
            + "<tr><td>9</td><td>Feature: A bug with seniority.</td></tr>"
            + "<tr><td>1</td><td>fortune: No such file or directory</td></tr>"
            + "<tr><td>12</td><td>\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af</td></tr>"
            + "</table></body></html>";

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
    void fortunes_is_the_escaped_table_sorted_by_message_with_the_added_fortune() {
        TestResponse response = app.client().get("/fortunes");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/html; charset=utf-8");
        assertServerAndDate(response);
        assertThat(response.body()).isEqualTo(EXPECTED);
    }

    @Test
    void the_added_fortune_is_not_stored() {
        app.client().get("/fortunes");
        TestResponse again = app.client().get("/fortunes");
        assertThat(again.body()).isEqualTo(EXPECTED);
    }
}
