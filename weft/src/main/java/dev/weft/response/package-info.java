/**
 * Responses and the conversion of handler results into them.
 *
 * <p>A handler's return value becomes a response by these rules, applied in order:
 *
 * <table>
 *   <caption>Handler return values</caption>
 *   <tr><th>returned</th><th>response</th></tr>
 *   <tr><td>{@link dev.weft.response.Response}</td><td>as is</td></tr>
 *   <tr><td>{@link dev.weft.response.IntoResponse} (rejections, {@link dev.weft.response.Problem} …)</td>
 *       <td>its {@code toResponse()}</td></tr>
 *   <tr><td>{@code String} / {@code CharSequence}</td><td>200, {@code text/plain; charset=utf-8}</td></tr>
 *   <tr><td>{@code byte[]}</td><td>200, {@code application/octet-stream}</td></tr>
 *   <tr><td>{@code InputStream}</td><td>200, {@code application/octet-stream}, streamed as the client
 *       reads and then closed ({@link dev.weft.response.Response#stream(String, java.io.InputStream)})</td></tr>
 *   <tr><td>{@code Optional}</td><td>empty: 404 problem; present: the value by these rules</td></tr>
 *   <tr><td>{@link dev.weft.response.Status}</td><td>that status, no body</td></tr>
 *   <tr><td>anything else (records, lists, maps …)</td><td>200, {@code application/json}</td></tr>
 *   <tr><td>{@code null}</td><td>500 (a handler bug), logged with the route</td></tr>
 * </table>
 *
 * <p>Java cannot overload a lambda on "returns a value" versus "returns nothing" once it takes
 * parameters, so Weft handlers always return: a handler with nothing to say returns
 * {@link dev.weft.response.Response#noContent()} (204).
 *
 * <p>Bodies too large or too slow to build first are streamed: {@code Response.stream} (an
 * {@code InputStream} or a {@link dev.weft.response.BodyWriter}), {@code Response.chunks} (an
 * {@code Iterator} or {@code Stream} of byte arrays, each sent as it comes), {@code Response.ndjson}
 * and {@code Response.jsonArray} (a {@code Stream} of values encoded one by one). The writing
 * thread blocks while the client is not reading, so memory stays flat for any size.
 */
package dev.weft.response;
