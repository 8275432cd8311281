package peer.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring peer: Spring Boot MVC on embedded Tomcat with
 * {@code spring.threads.virtual.enabled=true}, Jackson through Spring's message converters,
 * JdbcTemplate over Boot's HikariCP pool. Configuration: {@code application.properties}.
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_PG_PORT} (55432), {@code WEFT_DB_POOL}
 * (2 x cores).
 */
@SpringBootApplication
public class SpringPeer {

    public static void main(String[] args) {
        if (System.getenv("WEFT_DB_POOL") == null && System.getProperty("WEFT_DB_POOL") == null) {
            System.setProperty("WEFT_DB_POOL", Integer.toString(2 * Runtime.getRuntime().availableProcessors()));
        }
        SpringApplication.run(SpringPeer.class, args);
    }
}
