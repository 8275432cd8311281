package dev.weft.benchmarks.hikarivt;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * Many virtual threads contending for a small HikariCP pool, one JVM per HikariCP release
 * (benchmarks/hikari-vt-run starts it with one release or the other on the class path).
 *
 * <p>For each cell (virtual threads x work) it starts that many virtual threads, each looping
 * {@code getConnection()}, the work, {@code close()}; warms up, then measures a window and prints
 * one JSON line: operations per second, p50/p99/max of the acquire time ({@code getConnection})
 * and of the whole operation, this process's CPU time per operation (every thread: the spin the
 * fix removes burns CPU while waiting, so it shows here), the CPU time of the virtual-thread
 * scheduler's carrier threads over the window (seconds of CPU per second: how many carriers were
 * busy), the mean number of mounted and queued virtual threads (sampled every millisecond from
 * {@link VirtualThreadSchedulerMXBean}), PostgreSQL's CPU per operation (the backends, children
 * of the postmaster) and the machine's busy CPU meanwhile (other processes included).
 *
 * <p>Work: {@code none} (acquire and release only: the two mounted virtual threads keep
 * their thread-local connections, nobody else runs), {@code yield} (acquire, {@code Thread.yield()},
 * release: the pool alone with every thread taking turns, the case HikariCP #2398 was reproduced
 * with), {@code select1} ({@code SELECT 1}), {@code sleep1ms}
 * ({@code SELECT pg_sleep(0.001)}).
 *
 * <p>Arguments, as name-value pairs in any order: {@code --url}, {@code --user}, {@code --password},
 * {@code --pool}, {@code --threads 256,1024}, {@code --work yield,select1}, {@code --warmup} seconds,
 * {@code --duration} seconds (all required), {@code --postmaster} pid (default 0: PostgreSQL's CPU
 * not measured), {@code --label} (copied to each line).
 */
public final class Main {

    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ 100 on Linux

    /**
     * The cells' measured windows, to which JFR execution samples are attributed by their start
     * time (the stream delivers them about a second late, so a cell's counts are read at the end).
     */
    private static final List<Window> WINDOWS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Start time (epoch nanoseconds) of the newest sample delivered so far. */
    private static final AtomicLong NEWEST_SAMPLE = new AtomicLong();

    /**
     * A measured window (open-ended until it closes: samples can arrive while it runs) and the
     * samples in it: all, in ConcurrentBag, in its yield or its park spin.
     */
    private static final class Window {
        final long start = epochNanos(java.time.Instant.now());
        volatile long end = Long.MAX_VALUE;
        final AtomicLong samples = new AtomicLong();
        final AtomicLong inBag = new AtomicLong();
        final AtomicLong yieldSpin = new AtomicLong();
        final AtomicLong parkSpin = new AtomicLong();

        boolean contains(long time) {
            return time >= start && time < end;
        }
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String hikariVersion = HikariConfig.class.getPackage().getImplementationVersion();
        if (hikariVersion == null) {
            hikariVersion = versionFromJar();
        }
        int pool = Integer.parseInt(options.get("pool"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.get("url"));
        config.setUsername(options.get("user"));
        config.setPassword(options.get("password"));
        config.setMaximumPoolSize(pool);
        config.setMinimumIdle(pool);
        // Long enough that no acquire times out: the benchmark measures waiting, not refusals.
        config.setConnectionTimeout(60_000);
        config.setPoolName("hikari-vt");
        try (HikariDataSource dataSource = new HikariDataSource(config);
             RecordingStream profile = new RecordingStream()) {
            // Where the threads are when sampled: the spin #2402 removes is Thread.yield() called
            // by ConcurrentBag.requite/unreserve (7.1.0 parks a virtual thread there instead).
            profile.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10)).withStackTrace();
            profile.onEvent("jdk.ExecutionSample", Main::sample);
            profile.startAsync();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (dataSource.getHikariPoolMXBean().getTotalConnections() < pool) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pool did not open " + pool + " connections in 30 s");
                }
                Thread.sleep(10);
            }
            double warmup = Double.parseDouble(options.get("warmup"));
            double duration = Double.parseDouble(options.get("duration"));
            long postmaster = Long.parseLong(options.getOrDefault("postmaster", "0"));
            List<Map<String, Object>> lines = new ArrayList<>();
            for (String work : options.get("work").split(",")) {
                for (String threads : options.get("threads").split(",")) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("label", options.getOrDefault("label", ""));
                    line.put("hikaricp", hikariVersion);
                    line.put("pool", pool);
                    line.put("work", work);
                    line.put("threads", Integer.parseInt(threads));
                    line.putAll(cell(dataSource, work, Integer.parseInt(threads), warmup, duration, postmaster));
                    lines.add(line);
                }
            }
            // Wait (at most 5 s) until the stream has delivered samples past the last window. An
            // idle JVM is not sampled, so a platform thread keeps running Java code meanwhile.
            long last = WINDOWS.getLast().end;
            long waitUntil = System.nanoTime() + 5_000_000_000L;
            Thread busy = Thread.ofPlatform().daemon().name("busy").start(() -> {
                long spins = 0;
                while (NEWEST_SAMPLE.get() < last && System.nanoTime() < waitUntil) {
                    spins += Long.numberOfTrailingZeros(System.nanoTime());
                }
                if (spins == 42) {
                    System.err.print("");
                }
            });
            busy.join();
            for (int i = 0; i < lines.size(); i++) {
                Window window = WINDOWS.get(i);
                Map<String, Object> line = lines.get(i);
                line.put("jfr_samples", window.samples.get());
                line.put("jfr_in_bag", window.inBag.get());
                line.put("jfr_yield_spin", window.yieldSpin.get());
                line.put("jfr_park_spin", window.parkSpin.get());
                line.put("jfr_complete", NEWEST_SAMPLE.get() >= last);
                System.out.println(json(line));
            }
            System.out.flush();
        }
    }

    private static Map<String, Object> cell(HikariDataSource dataSource, String work, int threads, double warmup,
                                            double duration, long postmaster) throws Exception {
        String sql = switch (work) {
            case "none", "yield" -> null;
            case "select1" -> "SELECT 1";
            case "sleep1ms" -> "SELECT pg_sleep(0.001)";
            default -> throw new IllegalArgumentException("unknown work " + work);
        };
        var state = new State();
        var workers = new ArrayList<Thread>(threads);
        var samples = new Samples[threads];
        for (int i = 0; i < threads; i++) {
            Samples mine = samples[i] = new Samples();
            workers.add(Thread.ofVirtual().name("worker-" + i).start(() -> loop(dataSource, sql, work.equals("yield"), state, mine)));
        }
        Thread.sleep((long) (warmup * 1000));

        var scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var sampler = new Sampler(scheduler, state);
        long cpu0 = os.getProcessCpuTime();
        long carriers0 = carrierCpuNanos();
        long pg0 = childrenCpuNanos(postmaster);
        long[] machine0 = machineTicks();
        var window = new Window();
        WINDOWS.add(window);
        long t0 = System.nanoTime();
        state.measuring = true;
        Thread samplerThread = Thread.ofPlatform().daemon().name("sampler").start(sampler);
        Thread.sleep((long) (duration * 1000));
        state.measuring = false;
        long t1 = System.nanoTime();
        window.end = epochNanos(java.time.Instant.now());
        // Threads still inside getConnection() when the window closes: completed operations alone
        // would hide the ones the pool never served.
        int pending = 0;
        long oldestPending = 0;
        for (Samples s : samples) {
            long since = s.waitingSince;
            if (since != 0) {
                pending++;
                oldestPending = Math.max(oldestPending, t1 - since);
            }
        }
        long cpu1 = os.getProcessCpuTime();
        long carriers1 = carrierCpuNanos();
        long pg1 = childrenCpuNanos(postmaster);
        long[] machine1 = machineTicks();
        state.stop = true;
        samplerThread.join();
        for (Thread worker : workers) {
            worker.join();
        }

        long operations = 0;
        int served = 0;
        for (Samples s : samples) {
            operations += s.count;
            served += s.count > 0 ? 1 : 0;
        }
        long[] acquire = new long[(int) operations];
        long[] total = new long[(int) operations];
        int at = 0;
        for (Samples s : samples) {
            System.arraycopy(s.acquire, 0, acquire, at, s.count);
            System.arraycopy(s.total, 0, total, at, s.count);
            at += s.count;
        }
        Arrays.sort(acquire);
        Arrays.sort(total);
        double seconds = (t1 - t0) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("seconds", round(seconds, 3));
        result.put("ops", operations);
        result.put("ops_per_s", round(operations / seconds, 1));
        result.put("errors", state.errors.get());
        result.put("threads_served", served);
        result.put("pending_at_end", pending);
        result.put("oldest_pending_ms", round(oldestPending / 1e6, 3));
        result.put("acquire_p50_ms", percentileMs(acquire, 0.50));
        result.put("acquire_p99_ms", percentileMs(acquire, 0.99));
        result.put("acquire_max_ms", percentileMs(acquire, 1.0));
        result.put("total_p50_ms", percentileMs(total, 0.50));
        result.put("total_p99_ms", percentileMs(total, 0.99));
        result.put("total_max_ms", percentileMs(total, 1.0));
        result.put("cpu_us_per_op", operations == 0 ? null : round((cpu1 - cpu0) / 1e3 / operations, 2));
        result.put("process_cpus", round((cpu1 - cpu0) / 1e9 / seconds, 3));
        result.put("carrier_cpus", round((carriers1 - carriers0) / 1e9 / seconds, 3));
        result.put("mounted_mean", round(sampler.mounted.get() / (double) Math.max(1, sampler.count.get()), 3));
        result.put("queued_mean", round(sampler.queued.get() / (double) Math.max(1, sampler.count.get()), 1));
        result.put("parallelism", scheduler.getParallelism());
        result.put("carrier_pool_size", scheduler.getPoolSize());
        result.put("pg_cpu_us_per_op", postmaster == 0 || operations == 0 ? null
                : round((pg1 - pg0) / 1e3 / operations, 2));
        result.put("pg_cpus", round((pg1 - pg0) / 1e9 / seconds, 3));
        long busy = (machine1[0] - machine0[0]);
        long all = (machine1[1] - machine0[1]);
        long cpus = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        result.put("machine_busy_pct", all == 0 ? null : round(100.0 * busy / all, 1));
        // CPUs the rest of the machine (other people's processes) used meanwhile
        result.put("other_cpus", all == 0 ? null : round(Math.max(0.0, cpus * (double) busy / all
                - (cpu1 - cpu0) / 1e9 / seconds - (pg1 - pg0) / 1e9 / seconds), 3));
        return result;
    }

    private static long epochNanos(java.time.Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }

    private static void sample(RecordedEvent event) {
        long time = epochNanos(event.getStartTime());
        NEWEST_SAMPLE.accumulateAndGet(time, Math::max);
        Window window = null;
        for (Window w : WINDOWS) {
            if (w.contains(time)) {
                window = w;
            }
        }
        if (window == null || event.getStackTrace() == null) {
            return;
        }
        window.samples.incrementAndGet();
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        boolean yielding = false;
        boolean parking = false;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String method = frame.getMethod().getName();
            if (type.equals("java.lang.Thread") && method.equals("yield")) {
                yielding = true;
            } else if (type.equals("java.util.concurrent.locks.LockSupport") && method.equals("parkNanos")) {
                parking = true;
            } else if (type.equals("com.zaxxer.hikari.util.ConcurrentBag")) {
                window.inBag.incrementAndGet();
                boolean spinning = method.equals("requite") || method.equals("unreserve") || method.equals("add");
                if (spinning && yielding) {
                    window.yieldSpin.incrementAndGet();
                } else if (spinning && parking) {
                    window.parkSpin.incrementAndGet();
                }
                return;
            } else if (!type.startsWith("java.") && !type.startsWith("jdk.")) {
                // a frame of other code in between: a yield or park above it is not the bag's
                yielding = false;
                parking = false;
            }
        }
    }

    private static void loop(HikariDataSource dataSource, String sql, boolean yield, State state, Samples samples) {
        while (!state.stop) {
            long start = System.nanoTime();
            samples.waitingSince = start;
            long acquired;
            try (Connection connection = dataSource.getConnection()) {
                acquired = System.nanoTime();
                samples.waitingSince = 0;
                if (yield) {
                    // Holding the connection, let the other virtual threads run, as a blocking
                    // call would: without it the two mounted threads would keep their own
                    // thread-local connections forever (virtual threads are not time-sliced).
                    Thread.yield();
                } else if (sql != null) {
                    try (PreparedStatement statement = connection.prepareStatement(sql);
                         ResultSet rows = statement.executeQuery()) {
                        rows.next();
                    }
                }
            } catch (SQLException e) {
                samples.waitingSince = 0;
                state.errors.incrementAndGet();
                continue;
            }
            // after close(): the release (ConcurrentBag.requite, where 7.0.x spins) is included
            if (state.measuring) {
                samples.add(acquired - start, System.nanoTime() - start);
            }
        }
    }

    /** Per-thread samples (no sharing on the hot path). */
    private static final class Samples {
        long[] acquire = new long[1024];
        long[] total = new long[1024];
        int count;
        /** System.nanoTime() when the thread's current getConnection() began; 0 when not in it. */
        volatile long waitingSince;

        void add(long acquireNanos, long totalNanos) {
            if (count == acquire.length) {
                acquire = Arrays.copyOf(acquire, count * 2);
                total = Arrays.copyOf(total, count * 2);
            }
            acquire[count] = acquireNanos;
            total[count] = totalNanos;
            count++;
        }
    }

    private static final class State {
        volatile boolean measuring;
        volatile boolean stop;
        final AtomicLong errors = new AtomicLong();
    }

    /** Samples the scheduler's mounted and queued virtual threads every millisecond of the window. */
    private record Sampler(VirtualThreadSchedulerMXBean scheduler, State state, AtomicLong mounted,
                           AtomicLong queued, AtomicLong count) implements Runnable {
        Sampler(VirtualThreadSchedulerMXBean scheduler, State state) {
            this(scheduler, state, new AtomicLong(), new AtomicLong(), new AtomicLong());
        }

        @Override
        public void run() {
            while (state.measuring) {
                mounted.addAndGet(scheduler.getMountedVirtualThreadCount());
                queued.addAndGet(scheduler.getQueuedVirtualThreadCount());
                count.incrementAndGet();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * CPU time of the virtual-thread scheduler's carrier threads ("ForkJoinPool-1-worker-N",
     * truncated to 15 characters in /proc), from /proc/self/task; includes carriers that ended.
     */
    private static long carrierCpuNanos() throws IOException {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("ForkJoinPool-")) {
                        ticks += statTicks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException ended) {
                    // the thread ended between listing and reading
                }
            }
        }
        return ticks * CLOCK_TICK_NANOS;
    }

    /** CPU time (user + system) of the postmaster's children: the backends serving the pool. */
    private static long childrenCpuNanos(long postmaster) throws IOException {
        if (postmaster == 0) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.toList()) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == postmaster) {
                        ticks += statTicks(stat);
                    }
                } catch (IOException ended) {
                    // the process ended between listing and reading
                }
            }
        }
        return ticks * CLOCK_TICK_NANOS;
    }

    private static long statTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** [busy, all] ticks of every CPU (/proc/stat; idle and iowait are not busy). */
    private static long[] machineTicks() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long all = 0;
        for (int i = 1; i <= 8 && i < fields.length; i++) {
            all += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {all - idle, all};
    }

    private static Double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return round(sorted[Math.max(0, index)] / 1e6, 3);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static String versionFromJar() {
        String path = HikariConfig.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return path.replaceAll(".*HikariCP-([^/]+)\\.jar$", "$1");
    }

    private static String json(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        for (var entry : map.entrySet()) {
            Object v = entry.getValue();
            String value = v == null ? "null"
                    : v instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                    : v.toString();
            parts.add("\"" + entry.getKey() + "\":" + value);
        }
        return "{" + String.join(",", parts) + "}";
    }
}
