package dev.weft.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

/** Kept apart so that Database loads without Micrometer on the class path. */
final class MicrometerBinding {
    private MicrometerBinding() {}

    static void bind(HikariDataSource pool, Object registry) {
        if (!(registry instanceof MeterRegistry meters)) {
            throw new IllegalArgumentException("not a Micrometer MeterRegistry: " + registry);
        }
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }
}
