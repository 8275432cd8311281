/**
 * Typed extractors: each takes one value out of a request or rejects it.
 *
 * <p>A handler lists its extractors before its function; they run left to right on the
 * request's virtual thread, and the first rejection answers (as RFC 9457 problem+json) without
 * calling the handler.
 *
 * <table>
 *   <caption>Extractors and their rejections</caption>
 *   <tr><th>extractor</th><th>rejection</th><th>status</th></tr>
 *   <tr><td>{@link dev.weft.extract.PathParam}</td><td>InvalidPathParam</td><td>400</td></tr>
 *   <tr><td>{@link dev.weft.extract.Query}</td><td>MissingQueryParam, InvalidQueryParam, MalformedQuery</td><td>400</td></tr>
 *   <tr><td>{@link dev.weft.extract.Header}</td><td>MissingHeader, InvalidHeader</td><td>400</td></tr>
 *   <tr><td>{@link dev.weft.extract.Json}</td><td>UnsupportedMediaType / PayloadTooLarge / MalformedJson / JsonDataError</td><td>415 / 413 / 400 / 422</td></tr>
 *   <tr><td>{@link dev.weft.extract.Form}</td><td>UnsupportedMediaType / PayloadTooLarge / MalformedForm / InvalidFormField</td><td>415 / 413 / 400 / 422</td></tr>
 *   <tr><td>{@link dev.weft.extract.Body}</td><td>PayloadTooLarge, InvalidBody, UnsupportedMediaType (unknown charset)</td><td>413, 400, 415</td></tr>
 *   <tr><td>{@link dev.weft.extract.State}</td><td>none: a missing state fails at build</td><td></td></tr>
 *   <tr><td>{@link dev.weft.extract.Extract}</td><td>none</td><td></td></tr>
 * </table>
 */
package dev.weft.extract;
