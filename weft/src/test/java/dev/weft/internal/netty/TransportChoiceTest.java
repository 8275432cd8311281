package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.internal.netty.TransportChoice.Level;
import dev.weft.internal.netty.TransportChoice.Native;
import dev.weft.server.Transport;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransportChoiceTest {
    private static final Native YES = Native.yes();
    private static final Native SECCOMP = Native.no(new IOException("io_uring_setup(...) failed: Operation not permitted"));
    private static final Native NO_LIBRARY = Native.no(new IllegalStateException("Only supported on Linux",
            new UnsatisfiedLinkError("no netty_transport_native_epoll_aarch_64 in java.library.path")));

    @Test
    void auto_takes_io_uring_silently_when_it_loads() {
        TransportChoice choice = TransportChoice.choose(Transport.AUTO, YES, YES, "Linux");
        assertThat(choice.engine()).isEqualTo("io_uring");
        assertThat(choice.level()).isEqualTo(Level.NONE);
    }

    @Test
    void auto_falling_back_to_epoll_says_why_at_info() {
        TransportChoice choice = TransportChoice.choose(Transport.AUTO, SECCOMP, YES, "Linux");
        assertThat(choice.engine()).isEqualTo("epoll");
        assertThat(choice.level()).isEqualTo(Level.INFO);
        assertThat(choice.message()).contains("using epoll", "Operation not permitted");
    }

    @Test
    void auto_ending_on_nio_on_linux_warns_with_both_reasons_and_the_root_cause() {
        TransportChoice choice = TransportChoice.choose(Transport.AUTO, SECCOMP, NO_LIBRARY, "Linux");
        assertThat(choice.engine()).isEqualTo("nio");
        assertThat(choice.level()).isEqualTo(Level.WARN);
        assertThat(choice.message()).contains("using NIO", "io_uring: ", "Operation not permitted", "epoll: ",
                "Only supported on Linux", "no netty_transport_native_epoll_aarch_64");
    }

    @Test
    void auto_on_another_os_uses_nio_with_an_info_line_only() {
        TransportChoice choice = TransportChoice.choose(Transport.AUTO, NO_LIBRARY, NO_LIBRARY, "Mac OS X");
        assertThat(choice.engine()).isEqualTo("nio");
        assertThat(choice.level()).isEqualTo(Level.INFO);
        assertThat(choice.message()).contains("Mac OS X");
    }

    @Test
    void a_requested_io_uring_that_cannot_load_fails_the_start_with_netty_s_reason() {
        assertThatThrownBy(() -> TransportChoice.choose(Transport.IO_URING, SECCOMP, YES, "Linux"))
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("IO_URING was requested but cannot load")
                .hasMessageContaining("Operation not permitted")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void a_requested_epoll_that_cannot_load_fails_the_start_with_netty_s_reason() {
        assertThatThrownBy(() -> TransportChoice.choose(Transport.EPOLL, YES, NO_LIBRARY, "Linux"))
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("EPOLL was requested but cannot load")
                .hasMessageContaining("no netty_transport_native_epoll_aarch_64");
    }

    @Test
    void a_missing_cause_still_gives_a_sentence() {
        assertThatThrownBy(() -> TransportChoice.choose(Transport.EPOLL, YES, Native.no(null), "Linux"))
                .hasMessageContaining("no reason given");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void when_everything_loads_nothing_is_logged(Transport transport) {
        TransportChoice choice = TransportChoice.choose(transport, YES, YES, "Linux");
        assertThat(choice.level()).isEqualTo(Level.NONE);
        assertThat(choice.engine()).isEqualTo(switch (transport) {
            case AUTO, IO_URING -> "io_uring";
            case EPOLL -> "epoll";
            case NIO -> "nio";
        });
    }

    @Test
    void nio_never_depends_on_the_native_transports() {
        assertThat(TransportChoice.choose(Transport.NIO, NO_LIBRARY, NO_LIBRARY, "Linux").engine()).isEqualTo("nio");
    }
}
