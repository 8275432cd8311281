package dev.weft.multipart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded {@code multipart/form-data} body: its text fields and its files, each in the order
 * sent. Read-only; valid until the handler returns (files are deleted then).
 *
 * {@snippet class=dev.weft.multipart.MultipartExamples region=upload}
 */
public final class MultipartForm {
    private final Map<String, List<String>> fields;
    private final List<FilePart> files;

    MultipartForm(Map<String, List<String>> fields, List<FilePart> files) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.fields = Collections.unmodifiableMap(copy);
        this.files = List.copyOf(files);
    }

    /** The first value of text field {@code name}. */
    public Optional<String> field(String name) {
        List<String> values = fields.get(name);
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of text field {@code name}, in order; empty if none. */
    public List<String> fields(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** Every text field with all its values, in order of first appearance. */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** The first file sent as field {@code name}. */
    public Optional<FilePart> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Every file sent as field {@code name}, in order (a multiple file input). */
    public List<FilePart> files(String name) {
        List<FilePart> matching = new ArrayList<>();
        for (FilePart file : files) {
            if (file.name().equals(name)) {
                matching.add(file);
            }
        }
        return matching;
    }

    /** Every file, in order. */
    public List<FilePart> files() {
        return files;
    }
}
