/**
 * {@code multipart/form-data} bodies: HTML forms with file uploads, decoded within named limits,
 * large parts kept in temporary files that are always deleted.
 *
 * {@snippet class=dev.weft.multipart.MultipartExamples region=upload}
 */
package dev.weft.multipart;
