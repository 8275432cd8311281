package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients at once over kept-alive connections. */
class ConcurrencyTest {
    private static final int THREADS = 20;
    private static final int REQUESTS_PER_THREAD = 10;

    @Test
    void two_hundred_requests_from_twenty_threads_over_keep_alive_all_get_200() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        Router app = Router.builder()
                .get("/n/{n}", PathParam.of("n", Integer.class), Extract.remoteAddress(),
                        (Integer n, InetSocketAddress peer) -> {
                            clientPorts.add(peer.getPort());
                            return "n=" + n;
                        })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (TestClient client = TestClient.start(app)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        int n = thread * REQUESTS_PER_THREAD + i;
                        TestResponse response = client.get("/n/" + n);
                        if (response.status() != 200 || !response.body().equals("n=" + n)) {
                            problems.add("request " + n + ": " + response);
                        }
                    }
                    return problems;
                }));
            }
            go.countDown();

            List<String> problems = new ArrayList<>();
            for (Future<List<String>> result : results) {
                problems.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(problems).isEmpty();
            // Keep-alive: connections were reused, not opened once per request.
            assertThat(clientPorts).hasSizeLessThanOrEqualTo(2 * THREADS);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
