package dev.weft.internal.netty;

import dev.weft.internal.http.Exchange;
import dev.weft.response.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** How a finished response becomes HTTP/1.x messages: a full response, or a streamed head and chunks. */
final class Http1ResponseHead {
    /** Response headers were validated when the {@code Response} was built; no second check. */
    private static final DefaultHttpHeadersFactory UNVALIDATED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private Http1ResponseHead() {}

    /** A complete response with its body, as {@code version}. */
    static FullHttpResponse full(Exchange.Finished finished, HttpVersion version) {
        Status status = finished.status();
        HttpHeaders headers = UNVALIDATED_HEADERS.newHeaders();
        finished.forEachHeader(headers::add);
        return new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status.code(), status.reason()),
                Unpooled.wrappedBuffer(finished.body()), headers,
                DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders());
    }

    /**
     * A streamed response's framing: a head with {@code content-length} when the length is known
     * by the end of the first write, else chunked (HTTP/1.1) or delimited by the close (HTTP/1.0).
     */
    static final class Framing implements ResponseStream.Framing {
        private final Exchange.Finished finished;
        private final HttpVersion version;
        private final boolean keep;

        /** @param keep whether the connection stays open after this response */
        Framing(Exchange.Finished finished, HttpVersion version, boolean keep) {
            this.finished = finished;
            this.version = version;
            this.keep = keep;
        }

        @Override
        public Object head(long length) {
            HttpHeaders headers = UNVALIDATED_HEADERS.newHeaders();
            finished.forEachHeader(headers::add);
            if (finished.contentLength() == null) {
                if (length >= 0) {
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
                } else if (!version.equals(HttpVersion.HTTP_1_0)) {
                    headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                }
            }
            if (!keep) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (version.equals(HttpVersion.HTTP_1_0)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            Status status = finished.status();
            return new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status.code(), status.reason()), headers);
        }

        @Override
        public Object content(ByteBuf data) {
            return new DefaultHttpContent(data);
        }

        @Override
        public Object last(ByteBuf data) {
            return new DefaultLastHttpContent(data);
        }
    }
}
