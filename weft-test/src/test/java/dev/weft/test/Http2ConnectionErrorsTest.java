package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames RFC 9113 makes a connection error get {@code GOAWAY} with the error code it names, and
 * then the connection closes; frames it makes a stream error get {@code RST_STREAM} with its code,
 * and the connection goes on. Every frame here is written byte by byte ({@link RawHttp2#frame}),
 * so the client's own frame writer cannot refuse it first (issue #8, class 1).
 */
class Http2ConnectionErrorsTest {
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int PRIORITY = 0x2;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;

    private static final long FRAME_SIZE_ERROR = Http2Error.FRAME_SIZE_ERROR.code();
    private static final long PROTOCOL_ERROR = Http2Error.PROTOCOL_ERROR.code();
    private static final long FLOW_CONTROL_ERROR = Http2Error.FLOW_CONTROL_ERROR.code();

    private final List<AutoCloseable> open = new ArrayList<>();

    private RawHttp2 connect() throws IOException {
        TestClient server = TestClient.start(Router.builder()
                .get("/", () -> "root")
                .post("/echo", Body.bytes(), bytes -> bytes)
                .build(), Server.builder());
        open.add(server);
        RawHttp2 connection = RawHttp2.connect(server.port());
        open.add(connection);
        return connection;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] int32(long value) {
        return bytes((int) (value >>> 24), (int) (value >>> 16), (int) (value >>> 8), (int) value);
    }

    private static byte[] setting(int id, long value) {
        byte[] v = int32(value);
        return bytes(id >>> 8, id, v[0], v[1], v[2], v[3]);
    }

    /** A request stream left open by the client (POST without END_STREAM). */
    private static RawHttp2 withOpenStream(RawHttp2 connection, int stream) throws IOException {
        return connection.headers(stream, RawHttp2.request("POST", "/echo"), false);
    }

    private byte[] getBlock(RawHttp2 connection) throws IOException {
        return connection.encode(RawHttp2.request("GET", "/"));
    }

    /** The stream is reset with {@code code} and another stream is still served. */
    private static void assertStreamError(RawHttp2 connection, int stream, long code) throws IOException {
        RawHttp2.Frame reset = connection.await(f -> f instanceof RawHttp2.ResetFrame || f instanceof RawHttp2.GoAwayFrame);
        assertThat(reset).isEqualTo(new RawHttp2.ResetFrame(stream, code));
        assertThat(connection.get(stream + 20, "/").response(stream + 20).text()).isEqualTo("root");
    }

    // ---------------------------------------------------------------- FRAME_SIZE_ERROR

    @Test
    void a_ping_of_7_bytes_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(PING, 0, 0, new byte[7]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_ping_of_9_bytes_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(PING, 0, 0, new byte[9]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void settings_of_5_bytes_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, new byte[5]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void settings_of_7_bytes_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, new byte[7]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_settings_ack_with_a_payload_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(SETTINGS, ACK, 0, setting(0x3, 10)).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_rst_stream_of_3_bytes_is_a_frame_size_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(RST_STREAM, 0, 1, new byte[3]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_rst_stream_of_5_bytes_is_a_frame_size_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(RST_STREAM, 0, 1, new byte[5]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_connection_window_update_of_3_bytes_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(WINDOW_UPDATE, 0, 0, bytes(0, 0, 1)).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_stream_window_update_of_5_bytes_is_a_frame_size_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(WINDOW_UPDATE, 0, 1, bytes(0, 0, 0, 1, 0)).connectionError())
                .isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_data_frame_larger_than_the_announced_max_frame_size_is_a_frame_size_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        int max = connection.serverSettings().maxFrameSize() == null ? 16_384 : connection.serverSettings().maxFrameSize();
        assertThat(connection.frame(DATA, 0, 1, new byte[max + 1]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_ping_larger_than_the_announced_max_frame_size_is_a_frame_size_error() throws IOException {
        assertThat(connect().frame(PING, 0, 0, new byte[16_385]).connectionError()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void a_priority_frame_of_4_bytes_is_a_stream_frame_size_error_and_the_connection_goes_on() throws IOException {
        RawHttp2 connection = connect();
        connection.frame(PRIORITY, 0, 1, bytes(0, 0, 0, 0));
        assertStreamError(connection, 1, FRAME_SIZE_ERROR);
    }

    // ---------------------------------------------------------------- PROTOCOL_ERROR

    @Test
    void a_connection_window_update_of_0_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(WINDOW_UPDATE, 0, 0, int32(0)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_stream_window_update_of_0_is_a_stream_protocol_error_and_the_connection_goes_on() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        connection.frame(WINDOW_UPDATE, 0, 1, int32(0));
        assertStreamError(connection, 1, PROTOCOL_ERROR);
    }

    @Test
    void headers_on_stream_0_are_a_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        assertThat(connection.frame(HEADERS, END_HEADERS | END_STREAM, 0, getBlock(connection)).connectionError())
                .isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void headers_on_an_even_stream_are_a_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        assertThat(connection.frame(HEADERS, END_HEADERS | END_STREAM, 2, getBlock(connection)).connectionError())
                .isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_new_stream_with_an_id_lower_than_an_opened_one_is_a_connection_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        assertThat(connection.get(5, "/").response(5).text()).isEqualTo("root");
        assertThat(connection.frame(HEADERS, END_HEADERS | END_STREAM, 3, getBlock(connection)).connectionError())
                .isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void data_on_an_idle_stream_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(DATA, END_STREAM, 1, bytes(1, 2, 3)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void data_on_stream_0_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(DATA, 0, 0, bytes(1, 2, 3)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void data_with_padding_longer_than_the_frame_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(DATA, PADDED, 1, bytes(10, 1, 2)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void rst_stream_on_an_idle_stream_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(RST_STREAM, 0, 1, int32(8)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void rst_stream_on_stream_0_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(RST_STREAM, 0, 0, int32(8)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void window_update_on_an_idle_stream_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(WINDOW_UPDATE, 0, 1, int32(100)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void continuation_without_headers_is_a_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        assertThat(connection.frame(CONTINUATION, END_HEADERS, 1, getBlock(connection)).connectionError())
                .isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void continuation_after_a_complete_header_block_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(CONTINUATION, END_HEADERS, 1, getBlock(connection)).connectionError())
                .isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_ping_between_headers_and_its_continuation_is_a_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        connection.frame(HEADERS, END_STREAM, 1, getBlock(connection)).frame(PING, 0, 0, new byte[8]);
        assertThat(connection.connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_continuation_on_another_stream_than_its_headers_is_a_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        connection.frame(HEADERS, END_STREAM, 1, getBlock(connection)).frame(CONTINUATION, END_HEADERS, 3, new byte[0]);
        assertThat(connection.connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_push_promise_from_the_client_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        byte[] block = getBlock(connection);
        byte[] payload = new byte[4 + block.length];
        payload[3] = 2;
        System.arraycopy(block, 0, payload, 4, block.length);
        assertThat(connection.frame(PUSH_PROMISE, END_HEADERS, 1, payload).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void goaway_on_a_stream_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(GOAWAY, 0, 1, new byte[8]).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void ping_on_a_stream_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(PING, 0, 1, new byte[8]).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void settings_on_a_stream_is_a_protocol_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        assertThat(connection.frame(SETTINGS, 0, 1, new byte[0]).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void enable_push_of_2_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, setting(0x2, 2)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_max_frame_size_below_16384_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, setting(0x5, 16_383)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_max_frame_size_of_2_to_the_24_is_a_protocol_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, setting(0x5, 1 << 24)).connectionError()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void a_second_request_head_on_a_stream_that_ended_its_request_is_a_stream_error() throws IOException {
        RawHttp2 connection = connect();
        connection.headers(1, RawHttp2.request("POST", "/echo"), true);
        // The stream is half-closed (remote): more HEADERS from the client cannot be answered.
        connection.frame(HEADERS, END_HEADERS | END_STREAM, 1, getBlock(connection));
        RawHttp2.Frame answer = connection.await(f -> f instanceof RawHttp2.ResetFrame || f instanceof RawHttp2.GoAwayFrame);
        assertThat(answer).isIn(new RawHttp2.ResetFrame(1, Http2Error.STREAM_CLOSED.code()),
                new RawHttp2.ResetFrame(1, PROTOCOL_ERROR));
    }

    @Test
    void a_priority_frame_on_which_a_stream_depends_on_itself_is_a_stream_protocol_error() throws IOException {
        RawHttp2 connection = connect();
        connection.frame(PRIORITY, 0, 1, bytes(0, 0, 0, 1, 16));
        assertStreamError(connection, 1, PROTOCOL_ERROR);
    }

    @Test
    void an_unknown_frame_type_is_ignored() throws IOException {
        RawHttp2 connection = connect();
        connection.frame(0x42, 0xff, 0, bytes(1, 2, 3));
        assertThat(connection.get(1, "/").response(1).text()).isEqualTo("root");
    }

    // ---------------------------------------------------------------- FLOW_CONTROL_ERROR

    @Test
    void a_connection_window_pushed_past_2_to_the_31_minus_1_is_a_flow_control_error() throws IOException {
        assertThat(connect().frame(WINDOW_UPDATE, 0, 0, int32(Integer.MAX_VALUE)).connectionError())
                .isEqualTo(FLOW_CONTROL_ERROR);
    }

    @Test
    void a_stream_window_pushed_past_2_to_the_31_minus_1_is_a_stream_flow_control_error() throws IOException {
        RawHttp2 connection = withOpenStream(connect(), 1);
        connection.frame(WINDOW_UPDATE, 0, 1, int32(Integer.MAX_VALUE));
        assertStreamError(connection, 1, FLOW_CONTROL_ERROR);
    }

    @Test
    void an_initial_window_size_above_2_to_the_31_minus_1_is_a_flow_control_error() throws IOException {
        assertThat(connect().frame(SETTINGS, 0, 0, setting(0x4, 1L << 31)).connectionError())
                .isEqualTo(FLOW_CONTROL_ERROR);
    }
}
