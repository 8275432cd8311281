/** The JSON codec behind the {@code Json} extractor and JSON responses; Jackson 3 by default. */
package dev.weft.json;
