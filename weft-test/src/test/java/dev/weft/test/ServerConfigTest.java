package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.WeftException;
import dev.weft.routing.Router;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.Server;
import dev.weft.server.Transport;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Option validation, binding, and the socket transports. */
class ServerConfigTest {
    private static final Router APP = Router.builder().get("/", () -> "root").build();

    @Test
    void invalid_options_are_all_reported_at_once_each_naming_its_option() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> Server.builder().port(-1).ioThreads(0).maxHeaderBytes(10).build());

        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems()).filteredOn(p -> p.startsWith("port ")).singleElement().asString().contains("-1");
        assertThat(e.problems()).filteredOn(p -> p.startsWith("ioThreads ")).singleElement().asString().contains("0");
        assertThat(e.problems()).filteredOn(p -> p.startsWith("maxHeaderBytes ")).singleElement().asString()
                .contains("10");
        assertThat(e.getMessage()).contains("port", "ioThreads", "maxHeaderBytes");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void binding_a_port_already_in_use_fails_naming_the_port(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (ServerSocket occupant = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = occupant.getLocalPort();
            Server server = Server.builder().host("127.0.0.1").port(port).transport(transport)
                    .shutdownOnSignal(false).build();

            assertThatThrownBy(() -> server.serve(APP).close())
                    .isInstanceOf(WeftException.class)
                    .hasMessageContaining(Integer.toString(port))
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void port_0_picks_a_free_port() throws Exception {
        try (TestClient first = TestClient.start(APP); TestClient second = TestClient.start(APP)) {
            assertThat(first.port()).isPositive();
            assertThat(second.port()).isPositive().isNotEqualTo(first.port());
            assertThat(first.server().address().getPort()).isEqualTo(first.port());
            assertServes(first.port());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void each_available_transport_serves_a_request(Transport transport) throws Exception {
        assumeAvailable(transport);
        try (TestClient client = TestClient.start(APP, Server.builder().transport(transport).ioThreads(1))) {
            assertServes(client.port());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
    void an_unavailable_native_transport_fails_at_start_naming_it(Transport transport) {
        Assumptions.assumeFalse(available(transport), transport + " is available here");
        Server server = Server.builder().host("127.0.0.1").port(0).transport(transport).shutdownOnSignal(false)
                .build();

        assertThatThrownBy(() -> server.serve(APP).close())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining(transport.name())
                .hasMessageContaining("not available");
    }

    private static void assertServes(int port) throws Exception {
        try (RawHttp connection = RawHttp.connect(port)) {
            RawHttp.Response response = connection.send(RawHttp.get("/")).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("root");
        }
    }

    private static void assumeAvailable(Transport transport) {
        Assumptions.assumeTrue(available(transport), () -> transport + " is not available here");
    }

    /**
     * Whether Netty's native {@code transport} can run here. Asked reflectively: the test module
     * does not read Netty's modules.
     */
    static boolean available(Transport transport) {
        String probe = switch (transport) {
            case AUTO, NIO -> null;
            case EPOLL -> "io.netty.channel.epoll.Epoll";
            case IO_URING -> "io.netty.channel.uring.IoUring";
        };
        if (probe == null) {
            return true;
        }
        try {
            return (Boolean) Class.forName(probe).getMethod("isAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
