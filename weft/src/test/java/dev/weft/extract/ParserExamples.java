package dev.weft.extract;

import static dev.weft.TestBodies.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Parser}. */
class ParserExamples {
    @Test
    void method_reference() {
        // @start region=day
        Router router = Router.builder()
                .get("/agenda/{day}", PathParam.of("day", LocalDate::parse), day -> "agenda for " + day.getDayOfWeek())
                .build();
        // @end
        assertThat(text(router.handle(Request.builder(Method.GET, "/agenda/2025-05-01").build())))
                .isEqualTo("agenda for THURSDAY");
        assertThat(router.handle(Request.builder(Method.GET, "/agenda/tomorrow").build()).status())
                .isEqualTo(Status.BAD_REQUEST);
    }
}
