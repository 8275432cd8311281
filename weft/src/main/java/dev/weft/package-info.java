/**
 * Entry points shared by the whole framework, such as {@link dev.weft.WeftException}.
 *
 * <p>Most applications start from {@link dev.weft.routing.Router#builder()} and
 * {@link dev.weft.server.Server#builder()}.
 */
package dev.weft;
