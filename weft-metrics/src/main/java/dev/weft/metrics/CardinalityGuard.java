package dev.weft.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the distinct values one tag takes on the meters whose name starts with a prefix: past the
 * cap, a new value is replaced by {@link #OVERFLOW}, so the meter keeps counting (Micrometer's own
 * {@code maximumAllowableTags} drops it instead) while the series count stays bounded. Warns once.
 *
 * <p>Micrometer calls {@link #map} once per new pre-filter id, so a value seen before the cap
 * keeps its own series; only values first seen after it are folded.
 */
final class CardinalityGuard implements MeterFilter {
    private static final Logger LOG = LoggerFactory.getLogger(CardinalityGuard.class);

    /** What a value past the cap becomes (the OpenTelemetry spelling of "anything else"). */
    static final String OVERFLOW = "_OTHER";

    private final String namePrefix;
    private final String tagKey;
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();

    CardinalityGuard(String namePrefix, String tagKey, int max) {
        this.namePrefix = namePrefix;
        this.tagKey = tagKey;
        this.max = max;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(namePrefix)) {
            return id;
        }
        String value = id.getTag(tagKey);
        if (value == null || admit(value)) {
            return id;
        }
        if (warned.compareAndSet(false, true)) {
            LOG.warn("more than {} distinct values of tag '{}' on meters '{}*'; further values are recorded as '{}'"
                    + " (a tag that carries raw input? raise the cap with Metrics.builder().maxTagValues)",
                    max, tagKey, namePrefix, OVERFLOW);
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.add(tag.getKey().equals(tagKey) ? Tag.of(tagKey, OVERFLOW) : tag);
        }
        return id.replaceTags(tags);
    }

    /** Whether {@code value} keeps its own series: seen before, or there is room for it. */
    private boolean admit(String value) {
        if (seen.contains(value)) {
            return true;
        }
        synchronized (seen) { // the check and the add together, so the cap is exact
            if (seen.size() >= max) {
                return seen.contains(value);
            }
            seen.add(value);
            return true;
        }
    }
}
