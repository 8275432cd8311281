/**
 * Blocking diagnostics: pinned virtual threads (JFR), event-loop lag and stalls, slow handlers
 * and the in-flight request listing. See {@link dev.weft.diagnostics.Diagnostics}.
 */
package dev.weft.diagnostics;
