package peer.common;

import java.util.concurrent.ThreadLocalRandom;

/** The TechEmpower test rules shared by the handlers. */
public final class Tfb {

    private Tfb() {
    }

    /** A random world id (and random number): 1..10000. */
    public static int randomId() {
        return 1 + ThreadLocalRandom.current().nextInt(10_000);
    }

    /** The {@code queries} parameter clamped to 1..500; missing or not a number is 1. */
    public static int queries(String param) {
        if (param == null) {
            return 1;
        }
        try {
            return Math.clamp(Integer.parseInt(param.trim()), 1, 500);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
