/**
 * The network server: {@link dev.weft.server.Server} serves a router over HTTP/1.1 on Netty,
 * one virtual thread per request, in plain text or over TLS ({@link dev.weft.server.Tls}).
 *
 * <p>Connection semantics: keep-alive by default for HTTP/1.1 (HTTP/1.0 when asked for);
 * pipelined requests are processed one at a time per connection and answered in order; a body
 * the handler did not read is discarded if it had fully arrived, otherwise the connection is
 * closed after the response so it can never desynchronise. A malformed request is answered
 * (400, or 414/431 for an over-long request line or header block) and the connection closed;
 * so is an HTTP/1.1 request without exactly one {@code Host} header (RFC 9112 §3.2). Request
 * targets with raw UTF-8 bytes are decoded strictly as UTF-8 (400 if they are not).
 */
package dev.weft.server;
