/**
 * WebSockets (RFC 6455): the handshake as an extractor, a blocking session API on a virtual thread,
 * limits, heartbeat, back-pressure, graceful shutdown, and broadcast to many sessions.
 *
 * <p>A route helper registers an endpoint; the handler receives whole messages and may send from
 * any thread:
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=echo}
 *
 * <p>With authentication (any extractor before the handshake; a refusal is an ordinary HTTP
 * answer, the socket is never opened):
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=auth}
 *
 * <p>What Weft does for every session, so handlers never do:
 *
 * <ul>
 * <li><b>Protocol.</b> Unmasked client frames, reserved bits or opcodes, fragmented or oversized
 *     control frames, a continuation without a start, a new message inside a fragmented one, bad
 *     close codes: Close 1002. Text that is not UTF-8 (checked as it arrives, also across
 *     fragments): 1007. A frame, message or fragment count past the limits: 1009. Always a Close
 *     frame before the TCP close.</li>
 * <li><b>Heartbeat.</b> Pings every 25 s by default (below the 30–60 s idle timeouts of proxies and
 *     load balancers); pings from the peer answered at once by the I/O thread; a peer silent for the
 *     interval plus 10 s is dead: the connection is closed and the handler's {@code receive()}
 *     returns {@code Close(1006, "heartbeat timeout …")}.</li>
 * <li><b>Back-pressure.</b> Sends block while 1 MiB is pending; no progress for 10 s ends the
 *     session with 1008. Reading stops while 16 messages wait unread.</li>
 * <li><b>Shutdown.</b> New handshakes get 503; open sessions get Close 1001 and a few seconds to
 *     answer, within the server's shutdown timeout.</li>
 * <li><b>Cross-site hijacking.</b> A browser's {@code Origin} must be the server's own or allowed,
 *     else 403.</li>
 * </ul>
 *
 * <p>WebSockets over HTTP/2 (RFC 8441) are not supported yet: a handshake over HTTP/2 gets 426 and
 * browsers use HTTP/1.1 for WebSockets unless the server offers it.
 */
package dev.weft.ws;
