package dev.weft.files;

import dev.weft.response.BodyWriter;
import java.io.IOException;
import java.util.List;

/** Where a static-file handler finds its files: a directory, or resources indexed from the class path. */
sealed interface Source permits DirectorySource, ClasspathSource {

    /**
     * What is at {@code names} (checked file names, outermost first; empty for the root), with
     * {@code suffix} appended to the last name ({@code ".br"} for a precompressed sibling, else
     * empty). Never follows a link out of the root. Runs on the request's virtual thread; may block.
     */
    Found find(List<String> names, String suffix) throws IOException;

    /** What a lookup found. */
    sealed interface Found {}

    /** Nothing servable: absent, unreadable, outside the root, or not a regular file or directory. */
    record Missing() implements Found {}

    /** A directory. */
    record Directory() implements Found {}

    /**
     * A regular file.
     *
     * @param modifiedSeconds its modification time in epoch seconds, or -1 if unknown
     * @param etag its strong entity-tag, quotes included
     */
    record File(long size, long modifiedSeconds, String etag, Content content) implements Found {}

    /** The bytes of a file. */
    interface Content {
        /** A body of {@code length} bytes from {@code offset}; opens nothing until written. */
        BodyWriter slice(long offset, long length);
    }

    Found MISSING = new Missing();
    Found DIRECTORY = new Directory();
}
