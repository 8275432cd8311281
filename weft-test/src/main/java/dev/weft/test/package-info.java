/**
 * Testing Weft apps: {@link dev.weft.test.InMemoryClient} runs a router without a socket;
 * {@link dev.weft.test.TestClient} serves it on a free port and uses real HTTP. Both implement
 * {@link dev.weft.test.Client}, so one suite can run against both.
 */
package dev.weft.test;
