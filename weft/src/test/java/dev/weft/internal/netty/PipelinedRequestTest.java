package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.Exchange;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Response;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stages of a pipelined request and their checked transitions. */
class PipelinedRequestTest {
    private final AtomicInteger settled = new AtomicInteger();

    private PipelinedRequest request() {
        ServerRequest request = (ServerRequest) Request.builder(Method.GET, "/").build();
        return new PipelinedRequest(settled::incrementAndGet, request, true, HttpVersion.HTTP_1_1, false);
    }

    private static Exchange.Finished ok() {
        return Exchange.finish(Response.text("1"), Method.GET, null);
    }

    @Test
    void a_complete_response_goes_handling_ready_written() {
        PipelinedRequest p = request();
        Exchange.Finished response = ok();

        assertThat(p.stage()).isEqualTo(PipelinedRequest.Stage.HANDLING);
        p.answer(response);
        assertThat(p.stage()).isEqualTo(PipelinedRequest.Stage.READY);
        assertThat(p.takeResponse()).isSameAs(response);
        assertThat(p.stage()).isEqualTo(PipelinedRequest.Stage.WRITTEN);
        assertThatIllegalStateException().isThrownBy(() -> p.answer(ok()));
    }

    @Test
    void a_streamed_response_waits_for_its_turn_and_can_be_cancelled() {
        PipelinedRequest p = request();
        CompletableFuture<ResponseStream> turn = new CompletableFuture<>();

        p.awaitTurn(null, turn);
        assertThatIllegalStateException().as("its turn comes first").isThrownBy(() -> p.giveTurn(null));
        p.cancelStream();

        assertThat(turn).isCompletedWithValue(null);
        assertThat(p.awaitsHandler()).isTrue();
    }

    @Test
    void a_stream_that_fails_before_a_byte_is_answered_instead_and_closes() {
        PipelinedRequest p = request();
        p.awaitTurn(null, new CompletableFuture<>());
        p.startStreaming();
        Exchange.Finished instead = ok();

        p.answerInsteadOfStream(instead);

        assertThat(p.stage()).isEqualTo(PipelinedRequest.Stage.READY);
        assertThat(p.closeAfter).isTrue();
        assertThat(p.takeResponse()).isSameAs(instead);
    }

    @Test
    void dropping_forgets_a_ready_response_and_frees_a_waiting_stream() {
        PipelinedRequest ready = request();
        Exchange.Finished response = ok();
        ready.answer(response);
        PipelinedRequest waiting = request();
        CompletableFuture<ResponseStream> turn = new CompletableFuture<>();
        waiting.awaitTurn(null, turn);

        ready.drop();
        waiting.drop();

        assertThat(settled).as("the ready one settles now, the stream's thread later").hasValue(1);
        assertThat(turn).isCompletedWithValue(null);
        assertThat(ready.stage()).isEqualTo(PipelinedRequest.Stage.DROPPED);
        assertThatIllegalStateException().as("nothing is left to write").isThrownBy(ready::takeResponse);
        assertThatIllegalStateException().isThrownBy(waiting::startStreaming);
    }
}
