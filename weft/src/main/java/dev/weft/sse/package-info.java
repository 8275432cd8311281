/**
 * Server-sent events: a response that stays open and sends {@link dev.weft.sse.Event}s as they
 * happen ({@code text/event-stream}, the browser's {@code EventSource}).
 *
 * {@snippet class=dev.weft.sse.SseExamples region=emit}
 *
 * <p>A stream is fed from a {@code Stream} or {@code Iterator} of events
 * ({@link dev.weft.sse.Sse#stream(java.util.stream.Stream)}) or by a producer that calls a
 * blocking {@link dev.weft.sse.Emitter} ({@link dev.weft.sse.Sse#emit}). Either way the producer
 * runs on a virtual thread of its own and hands events to the response's writer through a small
 * bounded queue (16 events or 64 KiB): a producer faster than the client blocks instead of
 * filling memory.
 *
 * <ul>
 *   <li><b>Headers.</b> {@code content-type: text/event-stream}, {@code cache-control: no-cache},
 *       {@code x-accel-buffering: no} (nginx would otherwise buffer the stream); no
 *       {@code content-length}. The head is sent at once, before the first event.
 *   <li><b>Flushing.</b> Every event is flushed as it is sent.
 *   <li><b>Keep-alive.</b> After 15 s without an event (by default) a comment line {@code :} is
 *       sent; every event restarts the wait. See {@link dev.weft.sse.Sse.Options}.
 *   <li><b>The client leaves.</b> Promptly, within about a second (on HTTP/1.1 the connection closes, on
 *       HTTP/2 the stream is reset), even while nothing is being sent: the producer's thread is
 *       interrupted and an emitter's {@code send} throws {@code IOException}.
 *   <li><b>Timeouts.</b> The server's {@code requestTimeout} covers the handler only, not the
 *       stream it returns; a client that stops reading is still cut off after {@code writeTimeout}.
 *       {@link dev.weft.sse.Sse.Options#maxLifetime(java.time.Duration)} bounds a stream's length.
 *   <li><b>Shutdown.</b> When the server shuts down, every open stream ends cleanly (on HTTP/1.1
 *       with its last chunk, on HTTP/2 with {@code END_STREAM}) well within the shutdown deadline,
 *       and its producer is interrupted and its emitter closed.
 *   <li><b>Failures.</b> A producer that throws cuts the stream off (the HTTP/1.1 connection is
 *       closed without the last chunk, the HTTP/2 stream is reset) and the failure is logged; the
 *       client sees an error, not a clean end. A producer that returns ends the stream cleanly.
 * </ul>
 *
 * <p>Browsers open at most six HTTP/1.1 connections per site, and each open event stream holds
 * one; over HTTP/2 all streams share one connection. Serve event streams over HTTP/2 (TLS with
 * ALPN) when a page may open several.
 */
package dev.weft.sse;
