/** Test kit for Weft apps: an in-memory client and a real server on a free port. */
module dev.weft.test {
    requires transitive dev.weft;
    requires java.net.http;
    requires jdk.jfr; // PinningDetector

    exports dev.weft.test;
}
