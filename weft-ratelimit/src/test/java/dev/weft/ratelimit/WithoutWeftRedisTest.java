package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftException;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.Transport;
import io.lettuce.core.RedisURI;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * weft-redis (and with it Lettuce) is an optional dependency: an application without it, run on a
 * class path without those jars. Local limits work; asking for Redis buckets fails at once, where
 * the application is built, with an error naming the missing module (not a NoClassDefFoundError).
 */
class WithoutWeftRedisTest {

    /** The test class path without the jars or class folders whose path names one of {@code hidden}. */
    private static URLClassLoader without(String... hidden) {
        // Surefire hands the JVM a manifest-only jar; it publishes the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.asList(classPath.split(File.pathSeparator));
        URL[] urls = entries.stream()
                .filter(entry -> Stream.of(hidden).noneMatch(h -> entry.contains(File.separator + h)))
                .map(WithoutWeftRedisTest::url)
                .toArray(URL[]::new);
        assertThat(urls).as("something was hidden").hasSizeLessThan(entries.size());
        return new URLClassLoader("without-" + String.join("-", hidden), urls, ClassLoader.getPlatformClassLoader());
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }

    private static String run(ClassLoader loader, Class<? extends Callable<String>> task) throws Exception {
        Class<?> isolated = Class.forName(task.getName(), true, loader);
        assertThat(isolated).isNotSameAs(task);
        return ((Callable<?>) isolated.getConstructor().newInstance()).call().toString();
    }

    @Test
    void local_limits_need_neither_weft_redis_nor_lettuce() throws Exception {
        try (URLClassLoader loader = without("weft-redis", "lettuce-core")) {
            assertThat(loader.getResource("dev/weft/redis/RedisConnection.class")).isNull();
            assertThat(loader.getResource("io/lettuce/core/RedisURI.class")).isNull();
            assertThat(run(loader, LocalLimit.class)).isEqualTo("200 200 429");
        }
    }

    @Test
    void redis_buckets_without_weft_redis_fail_where_they_are_built_naming_the_module() throws Exception {
        try (URLClassLoader loader = without("weft-redis")) {
            assertThat(loader.getResource("dev/weft/redis/RedisConnection.class")).isNull();
            assertThat(run(loader, RedisLimit.class))
                    .startsWith("WeftException: RedisBuckets needs the module dev.weft:weft-redis");
        }
    }

    /** An application with local limits only. */
    public static final class LocalLimit implements Callable<String> {
        @Override
        public String call() {
            RateLimit limit = RateLimit.builder("api").rate(Rate.perHour(2)).build();
            Router app = Router.builder().get("/x", () -> "ok").routeLayer(limit).build();
            try (Client client = Transport.IN_MEMORY.start(app)) {
                return client.get("/x").status() + " " + client.get("/x").status() + " " + client.get("/x").status();
            }
        }
    }

    /** An application that asks for Redis buckets. */
    public static final class RedisLimit implements Callable<String> {
        @Override
        public String call() {
            try {
                RedisBuckets.builder(RedisURI.create("redis://127.0.0.1:1")).build().close();
                return "built";
            } catch (WeftException e) {
                return "WeftException: " + e.getMessage();
            }
        }
    }
}
