package dev.weft.multipart;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.BodyTooLargeException;
import dev.weft.http.Request;
import dev.weft.internal.extract.Requests;
import dev.weft.internal.http.ServerRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the request body to Netty's multipart decoder in chunks on the request's virtual thread,
 * checking Weft's limits as parts grow, and owns the decoder's temporary files until the handler
 * is done. Confined to the request's thread.
 */
final class MultipartReader {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartReader.class);
    private static final String MEDIA = "multipart/form-data";
    private static final int CHUNK = 8192;

    private final MultipartOptions options;
    private final HttpPostMultipartRequestDecoder decoder;
    /** This request's own directory for its temporary files; null when no part can reach the threshold. */
    private final Path files;
    private final List<InterfaceHttpData> parts = new ArrayList<>();
    private volatile boolean released;

    private MultipartReader(MultipartOptions options, HttpPostMultipartRequestDecoder decoder, Path files) {
        this.options = options;
        this.decoder = decoder;
        this.files = files;
    }

    /**
     * A new directory of this request's own under {@code tempDirectory} for the parts kept on
     * disk, or null when the body's declared length shows that no part can pass the memory
     * threshold. Deleting that directory at release removes every file Netty made, including one
     * it loses track of: when writing fails as a part moves from memory to disk (an interrupt
     * because the client left, a full disk), Netty's mixed upload drops the new file without
     * deleting it.
     */
    private static Path filesDirectory(Request request, MultipartOptions options) {
        long declared = request.header("content-length").map(MultipartReader::length).orElse(-1L);
        if (declared >= 0 && declared <= options.memoryThresholdBytes()) {
            return null;
        }
        Path base = options.tempDirectory().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
        try {
            return Files.createTempDirectory(base, "weft-multipart-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for multipart parts in " + base, e);
        }
    }

    private static long length(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes {@code dir} and whatever is still in it (files the decoder lost track of). */
    private static void deleteDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> left = Files.list(dir)) {
            for (Path file : (Iterable<Path>) left::iterator) {
                LOG.debug("deleting a multipart temporary file the decoder left behind: {}", file);
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not delete the multipart temporary directory {}", dir, e);
        }
    }

    static MultipartForm read(Request request, MultipartOptions options) {
        if (!Requests.mediaType(request).equals(MEDIA)) {
            throw new RejectedException(new Rejection.UnsupportedMediaType(MEDIA));
        }
        String contentType = request.header("content-type").orElse("");
        checkBoundary(contentType);
        InputStream body = Requests.body(request).stream();

        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(options.memoryThresholdBytes());
        factory.setDeleteOnExit(false); // File.deleteOnExit keeps every path until the JVM exits
        Path files = filesDirectory(request, options);
        if (files != null) {
            factory.setBaseDir(files.toString());
        }
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        head.headers().set("content-type", contentType);
        HttpPostMultipartRequestDecoder decoder;
        try {
            decoder = new HttpPostMultipartRequestDecoder(factory, head, StandardCharsets.UTF_8,
                    options.maxParts(), options.maxPartHeaderBytes());
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            deleteDirectory(files);
            throw new RejectedException(new Rejection.MalformedMultipart("has an invalid boundary"));
        }
        MultipartReader reader = new MultipartReader(options, decoder, files);
        boolean handedOver = false;
        try (body) {
            MultipartForm form = reader.decode(body);
            ((ServerRequest) request).whenHandled(reader::release); // Request is sealed
            handedOver = true;
            return form;
        } catch (IOException e) {
            // closing the body stream failed; the form is complete, nothing to report
            throw new UncheckedIOException(e);
        } finally {
            if (!handedOver) {
                reader.release();
            }
        }
    }

    /** RFC 2046 §5.1.1: 1 to 70 of DIGIT ALPHA '()+_,-./:=? and space, not ending in a space. */
    static void checkBoundary(String contentType) {
        String boundary = null;
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                boundary = p.substring(9);
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
                break;
            }
        }
        if (boundary == null) {
            throw new RejectedException(new Rejection.MalformedMultipart("has no boundary in its content-type"));
        }
        boolean valid = !boundary.isEmpty() && boundary.length() <= 70 && !boundary.endsWith(" ");
        for (int i = 0; valid && i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            valid = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "'()+_,-./:=? ".indexOf(c) >= 0;
        }
        if (!valid) {
            throw new RejectedException(new Rejection.MalformedMultipart("has an invalid boundary"));
        }
    }

    private MultipartForm decode(InputStream body) {
        byte[] buffer = new byte[CHUNK];
        try {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (n > 0) {
                    decoder.offer(new DefaultHttpContent(Unpooled.wrappedBuffer(buffer, 0, n))); // copied by offer
                    drain();
                }
            }
            decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!drain()) {
                throw new RejectedException(new Rejection.MalformedMultipart("ends before its closing boundary"));
            }
        } catch (BodyTooLargeException e) {
            throw new RejectedException(new Rejection.PayloadTooLarge(e.limitBytes()));
        } catch (IOException e) {
            throw new RejectedException(new Rejection.InvalidBody("ended before it was complete"));
        } catch (HttpPostRequestDecoder.TooManyFormFieldsException e) {
            throw new RejectedException(new Rejection.MultipartTooLarge("maxParts", options.maxParts(), ""));
        } catch (HttpPostRequestDecoder.TooLongFormFieldException e) {
            throw new RejectedException(new Rejection.MultipartTooLarge("maxPartHeaderBytes",
                    options.maxPartHeaderBytes(), ""));
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            if (e.getCause() instanceof IOException io && !(e.getCause() instanceof java.io.EOFException)) {
                // Netty wraps a failed write to a temporary file (a full disk): the server's fault.
                throw new UncheckedIOException("could not store a multipart part", io);
            }
            LOG.debug("malformed multipart body", e);
            throw new RejectedException(new Rejection.MalformedMultipart("is malformed (" + reason(e) + ")"));
        } catch (IllegalArgumentException e) {
            // Netty throws it for part headers it cannot parse (a bad charset name, a bad content-disposition)
            LOG.debug("malformed multipart part", e);
            throw new RejectedException(new Rejection.MalformedMultipart("has malformed part headers"));
        }
        return build();
    }

    /** Client-safe words for the decoder's complaint, never its message (it may quote input). */
    private static String reason(RuntimeException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("disposition") || message.contains("header")) {
            return "part headers";
        }
        if (message.contains("delimiter") || message.contains("boundary")) {
            return "boundary";
        }
        return "structure";
    }

    /**
     * Takes every completed part and checks the one being filled; true once the closing boundary
     * was read.
     */
    private boolean drain() {
        try {
            while (decoder.hasNext()) {
                InterfaceHttpData part = decoder.next();
                check(part);
                parts.add(part);
            }
        } catch (HttpPostRequestDecoder.EndOfDataDecoderException end) {
            return true;
        }
        InterfaceHttpData partial = decoder.currentPartialHttpData();
        if (partial != null) {
            check(partial);
        }
        return false;
    }

    private void check(InterfaceHttpData part) {
        if (!(part instanceof HttpData data)) {
            return;
        }
        if (part instanceof FileUpload) {
            if (data.length() > options.maxFileBytes()) {
                throw new RejectedException(new Rejection.MultipartTooLarge("maxFileBytes", options.maxFileBytes(), part.getName()));
            }
        } else if (data.length() > options.maxFieldBytes()) {
            throw new RejectedException(new Rejection.MultipartTooLarge("maxFieldBytes", options.maxFieldBytes(), part.getName()));
        }
    }

    private MultipartForm build() {
        Charset formCharset = StandardCharsets.UTF_8;
        for (InterfaceHttpData part : parts) {
            if (part instanceof Attribute a && a.getName().equals("_charset_")) {
                String name = text(a, StandardCharsets.US_ASCII).strip();
                try {
                    formCharset = Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    throw new RejectedException(new Rejection.MalformedMultipart(
                            "names an unknown charset in its _charset_ field"));
                }
                break;
            }
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<FilePart> files = new ArrayList<>();
        for (InterfaceHttpData part : parts) {
            switch (part) {
                case FileUpload upload -> files.add(new FilePart(upload.getName(), upload.getFilename(),
                        upload.getContentType() == null || upload.getContentType().isBlank()
                                ? "application/octet-stream" : upload.getContentType(),
                        upload.length(), new UploadContent(upload)));
                case Attribute attribute -> {
                    // A part without its own charset parameter gets the decoder's default, UTF-8,
                    // which _charset_ overrides.
                    Charset charset = attribute.getCharset() == null || attribute.getCharset().equals(StandardCharsets.UTF_8)
                            ? formCharset : attribute.getCharset();
                    fields.computeIfAbsent(attribute.getName(), k -> new ArrayList<>()).add(text(attribute, charset));
                }
                default -> { }
            }
        }
        return new MultipartForm(fields, files);
    }

    private static String text(Attribute attribute, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(attribute.get()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedException(new Rejection.MalformedMultipart(
                    "has a field '" + attribute.getName() + "' that is not valid " + charset.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a multipart field", e);
        }
    }

    /** Deletes the temporary files and frees the buffers; idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            decoder.destroy();
        } catch (RuntimeException e) {
            LOG.warn("could not release a multipart body's parts", e);
        } finally {
            deleteDirectory(files);
        }
    }

    private final class UploadContent implements FilePart.Content {
        private final FileUpload upload;

        UploadContent(FileUpload upload) {
            this.upload = upload;
        }

        @Override
        public boolean inMemory() {
            return upload.isInMemory();
        }

        @Override
        public byte[] bytes() throws IOException {
            return upload.get();
        }

        @Override
        public Path file() throws IOException {
            return upload.getFile().toPath();
        }

        @Override
        public boolean released() {
            return released;
        }
    }
}
