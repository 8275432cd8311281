package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.server.Transport;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What 10,000 idle connections cost the server, per transport: heap after full collections,
 * direct memory and the process's resident set, measured in the server's JVM (this one) while a
 * child JVM ({@link ConnectionHolder}) holds the client sockets, as 10,000 client and 10,000
 * server sockets do not fit under one process's file limit. The printed line is what
 * HOSTILE-CASES.md reports.
 *
 * <p>The bounds leave about three times the measured cost (heap about 3 KiB per connection, no
 * direct memory, at most about 650 B of resident memory outside the heap), so that they catch a
 * per-connection buffer or a leak, not noise. The whole resident set moves with the heap the
 * collector keeps committed (by tens of MiB, either way), so its bound only catches a blow-up.
 */
class IdleConnectionsMemoryTest {
    private static final int CONNECTIONS = 10_000;
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void ten_thousand_idle_keep_alive_connections_stay_within_a_memory_budget_and_close_with_their_client(
            Transport transport) throws Exception {
        // Only a transport this machine lacks is skipped; a server that fails to start fails the test.
        Assumptions.assumeTrue(ServerConfigTest.available(transport), transport + " is not available here");
        // What a production server costs: without the paranoid leak detection this suite runs
        // with (a tracked record and stack trace per buffer, whose garbage the heap commits).
        ResourceLeakDetector.Level suiteLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure(transport);
        } finally {
            ResourceLeakDetector.setLevel(suiteLevel);
        }
    }

    private static void measure(Transport transport) throws Exception {
        Router app = Router.builder().get("/hello", () -> "hello").build();
        // Long head and idle deadlines, so that no connection is closed while it is measured.
        Server.Builder options = Server.builder()
                .maxConnections(CONNECTIONS + 100)
                .requestHeadTimeout(Duration.ofMinutes(5))
                .idleTimeout(Duration.ofMinutes(5))
                .transport(transport);
        try (TestClient client = TestClient.start(app, options)) {
            long files = countOpenFiles();
            warmUp(client.port());
            awaitOpenFiles(open -> open <= files + 2, "the server closed the warm-up connections");
            Footprint before = Footprint.measure();
            Growth silent;
            Growth idle;
            try (ConnectionHolder.Child holder = ConnectionHolder.start(client.port())) {
                assertThat(holder.command("connect " + CONNECTIONS, STEP)).isEqualTo("connected " + CONNECTIONS);
                // connect() returns once the kernel has the connection; the server accepts it later.
                awaitOpenFiles(open -> open >= files + CONNECTIONS, "the server accepted them all");
                silent = Footprint.measure().minus(before);

                assertThat(holder.command("request", STEP)).isEqualTo("answered " + CONNECTIONS + " 0");
                idle = Footprint.measure().minus(before);

                assertServesAFreshConnection(client.port());
            }
            awaitOpenFiles(open -> open <= files + 5, "the server closed the client's connections");
            assertServesAFreshConnection(client.port());

            System.out.printf("IdleConnectionsMemoryTest: %,d connections, %s, JDK %s, Netty %s; growth per "
                    + "connection [total]: connected, silent: %s; idle keep-alive after one exchange: %s%n",
                    CONNECTIONS, transport, Runtime.version(), nettyVersion(), silent, idle);
            for (Growth growth : List.of(silent, idle)) {
                assertThat(growth.heap() / CONNECTIONS).as("heap bytes per connection").isLessThan(8 * KIB);
                assertThat(growth.direct() / CONNECTIONS).as("direct bytes per connection").isLessThan(512);
                assertThat(growth.rssOutsideHeap() / CONNECTIONS).as("resident bytes outside the heap per connection")
                        .isLessThan(2 * KIB);
                assertThat(growth.rss()).as("growth of the resident set").isLessThan(128 * MIB);
            }
        }
    }

    private static String nettyVersion() {
        return io.netty.util.Version.identify().get("netty-common").artifactVersion();
    }

    /** Some connections and requests first, so that lazily created state is not counted per connection. */
    private static void warmUp(int port) throws IOException {
        List<RawHttp> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawHttp connection = RawHttp.connect(port);
                connections.add(connection);
                for (int j = 0; j < 5; j++) {
                    assertThat(connection.send(RawHttp.get("/hello")).read().text()).isEqualTo("hello");
                }
            }
        } finally {
            for (RawHttp connection : connections) {
                connection.close();
            }
        }
    }

    private static void assertServesAFreshConnection(int port) throws IOException {
        try (RawHttp fresh = RawHttp.connect(port)) {
            RawHttp.Response response = fresh.send(RawHttp.get("/hello")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
    }

    /** Polls this process's open file count (server and test share it) until {@code done}. */
    private static void awaitOpenFiles(LongPredicate done, String what) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        long open = countOpenFiles();
        while (!done.test(open)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + STEP + " for " + what + "; open files: " + open);
            }
            TimeUnit.MILLISECONDS.sleep(50);
            open = countOpenFiles();
        }
    }

    private static long countOpenFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }

    /**
     * The server JVM's memory at one moment.
     *
     * @param heap heap bytes in use after full collections
     * @param nettyDirect direct bytes Netty's default allocator holds (the adaptive allocator in Netty 4.2)
     * @param nettyCounted direct bytes Netty counts itself, or -1 when it leaves them to the JDK
     * @param jdkDirect bytes of the JDK's direct buffer pool
     * @param rss resident set size of the process
     * @param rssOutsideHeap the part of {@code rss} outside the Java heap's address range
     */
    private record Footprint(long heap, long nettyDirect, long nettyCounted, long jdkDirect, long rss,
            long rssOutsideHeap) {

        static Footprint measure() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long nettyDirect = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
            long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed)
                    .sum();
            return new Footprint(heap, nettyDirect, PlatformDependent.usedDirectMemory(), jdkDirect, residentBytes(),
                    residentBytesOutsideHeap());
        }

        /**
         * Sums the resident size of every mapping in {@code /proc/self/smaps} outside the heap's
         * address range, which {@code GC.heap_info} (the diagnostic command behind {@code jcmd})
         * prints as {@code [0x..., 0x...)}. This is the native memory a connection may cost:
         * thread stacks, malloc, direct buffers, but not heap pages the collector commits and uncommits.
         */
        private static long residentBytesOutsideHeap() throws Exception {
            String heapInfo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
                    new Object[] {null}, new String[] {String[].class.getName()});
            Matcher range = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)").matcher(heapInfo);
            if (!range.find()) {
                throw new IllegalStateException("no heap address range in: " + heapInfo);
            }
            long heapStart = Long.parseUnsignedLong(range.group(1), 16);
            long heapEnd = Long.parseUnsignedLong(range.group(2), 16);
            long outside = 0;
            boolean inHeap = false;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                if (dash > 0 && space > dash && !line.startsWith("VmFlags")) {
                    long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                    inHeap = Long.compareUnsigned(start, heapStart) >= 0 && Long.compareUnsigned(start, heapEnd) < 0;
                } else if (line.startsWith("Rss:") && !inHeap) {
                    outside += Long.parseLong(line.replaceAll("[^0-9]", "")) * KIB;
                }
            }
            return outside;
        }

        private static long residentBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * KIB;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }

        Growth minus(Footprint before) {
            return new Growth(heap - before.heap, nettyDirect - before.nettyDirect,
                    nettyCounted - before.nettyCounted, jdkDirect - before.jdkDirect, rss - before.rss,
                    rssOutsideHeap - before.rssOutsideHeap);
        }
    }

    /**
     * How much memory grew, in bytes. Direct memory is looked at three ways, which overlap:
     * what Netty's allocator holds, what Netty counts of what it allocated itself, and the
     * JDK's direct buffer pool; {@link #direct()} is the largest. The resident set also grows
     * and shrinks with the heap the collector keeps committed, so it is the noisiest number.
     */
    record Growth(long heap, long nettyDirect, long nettyCounted, long jdkDirect, long rss, long rssOutsideHeap) {
        long direct() {
            return Math.max(nettyDirect, Math.max(nettyCounted, jdkDirect));
        }

        @Override
        public String toString() {
            return String.format("heap %,d B [%,d KiB], direct %,d B [%,d KiB] (Netty allocator %,d, Netty counter"
                    + " %,d, JDK pool %,d B), RSS %,d B [%,d KiB], of it outside the heap %,d B [%,d KiB]",
                    heap / CONNECTIONS, heap / KIB, direct() / CONNECTIONS, direct() / KIB, nettyDirect, nettyCounted,
                    jdkDirect, rss / CONNECTIONS, rss / KIB, rssOutsideHeap / CONNECTIONS, rssOutsideHeap / KIB);
        }
    }
}
