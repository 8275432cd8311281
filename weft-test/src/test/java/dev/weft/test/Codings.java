package dev.weft.test;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test support: the client's side of gzip, br and zstd, whole and incremental. */
final class Codings {
    static final String[] ALL = {"gzip", "br", "zstd"};

    private Codings() {}

    static byte[] encode(String coding, byte[] plain) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = encoder(coding, bytes)) {
                out.write(plain);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OutputStream encoder(String coding, OutputStream out) throws IOException {
        return switch (coding) {
            case "gzip" -> new GZIPOutputStream(out);
            case "br" -> new BrotliOutputStream(out);
            case "zstd" -> new ZstdOutputStreamNoFinalizer(out, 3);
            default -> throw new IllegalArgumentException(coding);
        };
    }

    static byte[] decode(String coding, byte[] encoded) {
        try (InputStream in = decoder(coding, new ByteArrayInputStream(encoded))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A decoder that returns what it has as soon as it has it (for live streams). */
    static InputStream decoder(String coding, InputStream in) throws IOException {
        return switch (coding) {
            case "gzip" -> new GZIPInputStream(in, 1);
            case "br" -> {
                BrotliInputStream br = new BrotliInputStream(in);
                br.enableEagerOutput();
                yield br;
            }
            case "zstd" -> new ZstdInputStreamNoFinalizer(in);
            case "identity" -> in;
            default -> throw new IllegalArgumentException(coding);
        };
    }

    /** One line (without its LF) read a byte at a time, so nothing waits for more than the line; null at the end. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** {@code GET target} over the client's socket; the body arrives as it is sent. */
    static HttpResponse<InputStream> streamingGet(TestClient client, String target, String acceptEncoding)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.baseUri() + target))
                .header("accept-encoding", acceptEncoding)
                .GET()
                .build();
        return client.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
