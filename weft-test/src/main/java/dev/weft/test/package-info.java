/**
 * Testing Weft apps: {@link dev.weft.test.InMemoryClient} runs a router without a socket;
 * {@link dev.weft.test.TestClient} serves it on a free port and uses real HTTP/1.1 or HTTP/2.
 * Both implement {@link dev.weft.test.Client}, and {@link dev.weft.test.Transport} names each way
 * to start one, so one suite can run against all of them.
 *
 * <p>{@link dev.weft.test.EventStream} reads a server-sent event stream through either client,
 * event by event:
 *
 * {@snippet class=dev.weft.test.EventStreamExamples region=read}
 */
package dev.weft.test;
