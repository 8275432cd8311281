package dev.weft.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.ClientInfo;
import dev.weft.http.Headers;
import dev.weft.server.ForwardedHeaders;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
    private static final InetAddress PROXY = InetAddress.ofLiteral("10.0.0.5");
    private static final InetAddress STRANGER = InetAddress.ofLiteral("203.0.113.9");

    private static TrustedProxies proxies(ForwardedHeaders mode, String... cidrs) {
        List<String> problems = new ArrayList<>();
        TrustedProxies proxies = TrustedProxies.parse(List.of(cidrs), mode, problems);
        assertThat(problems).isEmpty();
        return proxies;
    }

    private static final TrustedProxies XFF = proxies(ForwardedHeaders.X_FORWARDED, "10.0.0.0/8", "fd00::/8");
    private static final TrustedProxies RFC = proxies(ForwardedHeaders.FORWARDED, "10.0.0.0/8", "fd00::/8");

    private static ClientInfo xff(InetAddress peer, String... headers) {
        return XFF.resolve(peer, "http", Headers.of(headers));
    }

    private static ClientInfo rfc(InetAddress peer, String... headers) {
        return RFC.resolve(peer, "http", Headers.of(headers));
    }

    private static String address(ClientInfo client) {
        return client.address().getHostAddress();
    }

    @Test
    void headers_from_an_untrusted_peer_are_ignored() {
        ClientInfo client = xff(STRANGER, "host", "app.test", "x-forwarded-for", "1.2.3.4",
                "x-forwarded-proto", "https", "x-forwarded-host", "evil.test");
        assertThat(client).isEqualTo(new ClientInfo(STRANGER, "http", Optional.of("app.test"), false));
    }

    @Test
    void the_right_most_untrusted_address_is_the_client_and_a_forged_left_part_is_ignored() {
        ClientInfo client = xff(PROXY, "x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.1.1");
        assertThat(address(client)).isEqualTo("198.51.100.7");
        assertThat(client.forwarded()).isTrue();
    }

    @Test
    void several_header_lines_are_one_list_in_order() {
        assertThat(address(xff(PROXY, "x-forwarded-for", "6.6.6.6", "x-forwarded-for", "198.51.100.7")))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void when_every_hop_is_trusted_the_left_most_is_the_client() {
        assertThat(address(xff(PROXY, "x-forwarded-for", "10.9.9.9, 10.1.1.1"))).isEqualTo("10.9.9.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "garbage", "", "1.2.3", "999.1.1.1", "example.com", "1.2.3.4:99999",
            "[::1", "fe80::1%eth0", "::1]:80", "1.2.3.4 5.6.7.8", "0x7f.1", "127.1", "010.1.1.1", "1.2.3.4.5", "256.1.1.1"})
    void an_entry_that_is_not_an_address_ends_the_walk_at_the_last_real_hop(String entry) {
        ClientInfo client = xff(PROXY, "x-forwarded-for", "6.6.6.6, " + entry + ", 10.1.1.1");
        assertThat(address(client)).isEqualTo("10.1.1.1");
        ClientInfo direct = xff(PROXY, "x-forwarded-for", "6.6.6.6, " + entry);
        assertThat(direct.address()).isEqualTo(PROXY);
        assertThat(direct.forwarded()).isFalse();
    }

    @Test
    void ports_and_brackets_are_understood() {
        assertThat(address(xff(PROXY, "x-forwarded-for", "198.51.100.7:5555"))).isEqualTo("198.51.100.7");
        assertThat(address(xff(PROXY, "x-forwarded-for", "[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(address(xff(PROXY, "x-forwarded-for", "2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void ipv4_mapped_ipv6_addresses_match_ipv4_networks() {
        assertThat(XFF.trusts(InetAddress.ofLiteral("::ffff:10.2.3.4"))).isTrue();
        assertThat(address(xff(InetAddress.ofLiteral("::ffff:10.2.3.4"), "x-forwarded-for", "::ffff:10.9.9.9, 198.51.100.7")))
                .isEqualTo("198.51.100.7");
        assertThat(XFF.trusts(InetAddress.ofLiteral("fd12::1"))).isTrue();
        assertThat(XFF.trusts(InetAddress.ofLiteral("fe00::1"))).isFalse();
    }

    @Test
    void proto_and_host_come_from_the_right_most_valid_value() {
        ClientInfo client = xff(PROXY, "host", "internal:8080", "x-forwarded-for", "198.51.100.7",
                "x-forwarded-proto", "http, HTTPS", "x-forwarded-host", "app.example.com");
        assertThat(client).isEqualTo(new ClientInfo(InetAddress.ofLiteral("198.51.100.7"), "https",
                Optional.of("app.example.com"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp", "javascript", "", "https x", "http s"})
    void an_unknown_proto_keeps_the_connection_scheme(String proto) {
        assertThat(xff(PROXY, "x-forwarded-for", "198.51.100.7", "x-forwarded-proto", proto).scheme()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.test/path", "user@evil.test", "evil.test:99999", "[::1", "a b", "<script>", ""})
    void a_host_that_is_not_a_host_keeps_the_host_header(String host) {
        ClientInfo client = xff(PROXY, "host", "app.test", "x-forwarded-for", "198.51.100.7", "x-forwarded-host", host);
        assertThat(client.host()).hasValue("app.test");
    }

    @Test
    void without_forwarding_headers_a_trusted_peer_is_the_client() {
        assertThat(xff(PROXY, "host", "app.test")).isEqualTo(new ClientInfo(PROXY, "http", Optional.of("app.test"), false));
    }

    @Test
    void x_forwarded_mode_ignores_forwarded_and_forwarded_mode_ignores_x_forwarded() {
        assertThat(xff(PROXY, "forwarded", "for=198.51.100.7").address()).isEqualTo(PROXY);
        assertThat(rfc(PROXY, "x-forwarded-for", "198.51.100.7").address()).isEqualTo(PROXY);
    }

    @Test
    void forwarded_elements_are_walked_from_the_right_with_their_own_proto_and_host() {
        ClientInfo client = rfc(PROXY, "host", "internal",
                "forwarded", "for=6.6.6.6;proto=http, for=\"[2001:db8:cafe::17]:4711\";proto=https;host=app.example.com",
                "forwarded", "for=10.3.3.3;proto=http;host=internal");
        assertThat(client).isEqualTo(new ClientInfo(InetAddress.ofLiteral("2001:db8:cafe::17"), "https",
                Optional.of("app.example.com"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown", "for=_hidden", "for=1.2.3.4;for=5.6.7.8", "for",
            "=1.2.3.4", "for=1.2.3.4 junk", "for=,", "proto=https", "for=\"[::1]\"extra"})
    void a_broken_or_anonymous_element_ends_the_walk(String element) {
        ClientInfo client = rfc(PROXY, "forwarded", "for=6.6.6.6, " + element + ", for=10.7.7.7");
        assertThat(address(client)).isEqualTo("10.7.7.7");
    }

    @Test
    void an_unterminated_quote_leaves_nothing_to_believe() {
        ClientInfo client = rfc(PROXY, "forwarded", "for=6.6.6.6, for=\"1.2.3.4, for=10.7.7.7");
        assertThat(client.address()).isEqualTo(PROXY);
        assertThat(client.forwarded()).isFalse();
    }

    @Test
    void quoted_values_may_hold_commas_and_escapes() {
        ClientInfo client = rfc(PROXY, "forwarded", "for=198.51.100.7;ext=\"a,b\\\"c\";host=\"app.test:8443\"");
        assertThat(address(client)).isEqualTo("198.51.100.7");
        assertThat(client.host()).hasValue("app.test:8443");
    }

    @Test
    void parameter_names_are_case_insensitive() {
        assertThat(address(rfc(PROXY, "forwarded", "For=198.51.100.7;PROTO=https"))).isEqualTo("198.51.100.7");
    }

    @Test
    void a_long_chain_of_trusted_hops_is_read_only_so_far() {
        StringBuilder chain = new StringBuilder("198.51.100.7");
        for (int i = 0; i < 100; i++) {
            chain.append(", 10.0.0.").append(i % 250);
        }
        ClientInfo client = xff(PROXY, "x-forwarded-for", chain.toString());
        assertThat(client.address().getHostAddress()).startsWith("10.0.0.");
    }

    @Test
    void every_invalid_network_is_reported() {
        List<String> problems = new ArrayList<>();
        TrustedProxies.parse(List.of("10.0.0.1/8", "proxy.internal", "10.0.0.0/33", "::1/129", " ", "10.0.0.0/x",
                "192.168.0.0/16", "fd00::/8"), ForwardedHeaders.X_FORWARDED, problems);
        assertThat(problems).hasSize(6);
        assertThat(problems.getFirst()).contains("did you mean 10.0.0.0/8?");
        assertThat(problems.get(1)).contains("host names are not resolved");
    }
}
