/**
 * The network server: {@link dev.weft.server.Server} serves a router on Netty over HTTP/1.1 and
 * HTTP/2 (cleartext by prior knowledge or {@code Upgrade: h2c}; over TLS chosen by ALPN, see
 * {@link dev.weft.server.Tls}), one virtual thread per request or stream.
 *
 * <p>HTTP/1.1 connection semantics: keep-alive by default (HTTP/1.0 when asked for); pipelined
 * requests are handled concurrently (up to 32 per connection) and answered in order; a body the
 * handler did not read is discarded if it had fully arrived, otherwise the connection is closed
 * after the response so it can never desynchronise. A malformed request is answered (400, or
 * 414/431 for an over-long request line or header block) and the connection closed; so is an
 * HTTP/1.1 request without exactly one {@code Host} header (RFC 9112 §3.2). Request targets with
 * raw UTF-8 bytes are decoded strictly as UTF-8 (400 if they are not). A connection that closes
 * after a response first half-closes and drains what the client still sends, so the response is
 * not lost to a reset.
 *
 * <p>Responses may stream (see {@link dev.weft.response.BodyWriter}): the handler's thread blocks
 * while the client does not read, on both protocols. Shutdown ({@link RunningServer#close()})
 * answers what was received, sends HTTP/2 connections {@code GOAWAY}, and logs how many requests
 * it had to cut.
 */
package dev.weft.server;
