/**
 * Static files: {@link dev.weft.files.StaticFiles} serves a directory, one file or class path
 * resources as a route handler, with validators, ranges, precompressed variants and a path check
 * that makes traversal impossible by construction.
 */
package dev.weft.files;
