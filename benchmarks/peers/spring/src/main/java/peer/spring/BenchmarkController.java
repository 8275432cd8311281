package peer.spring;

import peer.common.Fortune;
import peer.common.Tfb;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The six TechEmpower endpoints as an ordinary annotated MVC controller. */
@RestController
class BenchmarkController {

    record Message(String message) {
    }

    record World(int id, int randomNumber) {
    }

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = ?";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = ? WHERE id = ?";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";
    private static final RowMapper<World> WORLD = (rs, n) -> new World(rs.getInt(1), rs.getInt(2));
    private static final RowMapper<Fortune> FORTUNE = (rs, n) -> new Fortune(rs.getInt(1), rs.getString(2));

    private final JdbcTemplate jdbc;

    BenchmarkController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping(path = "/plaintext", produces = MediaType.TEXT_PLAIN_VALUE)
    String plaintext() {
        return "Hello, World!";
    }

    @GetMapping("/json")
    Message json() {
        return new Message("Hello, World!");
    }

    @GetMapping("/db")
    World db() {
        return randomWorld();
    }

    @GetMapping("/queries")
    World[] queries(@RequestParam(required = false) String queries) {
        World[] worlds = new World[Tfb.queries(queries)];
        Arrays.setAll(worlds, i -> randomWorld());
        return worlds;
    }

    @GetMapping("/updates")
    World[] updates(@RequestParam(required = false) String queries) {
        World[] worlds = new World[Tfb.queries(queries)];
        Arrays.setAll(worlds, i -> new World(randomWorld().id(), Tfb.randomId()));
        // One JDBC batch; sorted ids keep concurrent batches from deadlocking each other.
        List<Object[]> batch = Arrays.stream(worlds)
                .sorted(Comparator.comparingInt(World::id))
                .map(w -> new Object[] {w.randomNumber(), w.id()})
                .toList();
        jdbc.batchUpdate(UPDATE_WORLD, batch);
        return worlds;
    }

    @GetMapping(path = "/fortunes", produces = "text/html;charset=utf-8")
    String fortunes() {
        List<Fortune> fortunes = new ArrayList<>(jdbc.query(SELECT_FORTUNES, FORTUNE));
        fortunes.add(new Fortune(0, "Additional fortune added at request time."));
        fortunes.sort(Comparator.comparing(Fortune::message));
        return Fortune.html(fortunes);
    }

    private World randomWorld() {
        return jdbc.queryForObject(SELECT_WORLD, WORLD, Tfb.randomId());
    }
}
