/**
 * OpenTelemetry tracing for Weft: the {@link dev.weft.otel.Tracing} layer.
 *
 * <p>Needs {@code dev.weft}'s exchange internals: on a module path this jar is the automatic
 * module {@code dev.weft.otel}, to which {@code dev.weft} exports them; on a class path nothing
 * is needed.
 */
package dev.weft.otel;
