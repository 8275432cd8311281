package dev.weft.internal.http;

import dev.weft.http.ClientInfo;
import dev.weft.http.Headers;
import dev.weft.server.ForwardedHeaders;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The networks whose forwarding headers are believed, and the reading of those headers.
 *
 * <p>The walk goes from the right: the last hop is the peer itself, and every address a trusted
 * proxy appended is believed only while the hop that appended it is trusted. The first untrusted
 * address is the client. An entry that is not an address ({@code unknown}, an obfuscated
 * identifier, garbage) ends the walk at the last hop known to be real, which is never an address
 * a client could choose. Immutable and thread-safe.
 */
public final class TrustedProxies {
    /** Hops read at most: a longer chain ends at the last hop read. */
    static final int MAX_HOPS = 32;

    private final List<Network> networks;
    private final ForwardedHeaders headers;

    private TrustedProxies(List<Network> networks, ForwardedHeaders headers) {
        this.networks = networks;
        this.headers = headers;
    }

    /**
     * Parses {@code cidrs} ({@code 10.0.0.0/8}, {@code fd00::/8}, or one address); every entry that
     * is not valid adds a line to {@code problems}.
     */
    public static TrustedProxies parse(List<String> cidrs, ForwardedHeaders headers, List<String> problems) {
        List<Network> networks = new ArrayList<>();
        for (String cidr : cidrs) {
            Network network = Network.parse(cidr, problems);
            if (network != null) {
                networks.add(network);
            }
        }
        return new TrustedProxies(List.copyOf(networks), headers);
    }

    /** Whether {@code address} is in one of the trusted networks. */
    public boolean trusts(InetAddress address) {
        byte[] bytes = canonical(address).getAddress();
        for (Network network : networks) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The client of a request from {@code peer} over {@code scheme} with {@code requestHeaders}. */
    public ClientInfo resolve(InetAddress peer, String scheme, Headers requestHeaders) {
        Optional<String> host = requestHeaders.first("host");
        if (!trusts(peer)) {
            return new ClientInfo(peer, scheme, host, false);
        }
        List<Hop> hops = headers == ForwardedHeaders.FORWARDED
                ? ForwardedParser.hops(requestHeaders.all("forwarded"))
                : xForwardedHops(requestHeaders);
        if (hops.isEmpty()) {
            return new ClientInfo(peer, scheme, host, false);
        }
        InetAddress client = peer;
        Hop clientHop = null;
        int read = 0;
        for (int i = hops.size() - 1; i >= 0 && read < MAX_HOPS; i--, read++) {
            Hop hop = hops.get(i);
            if (hop.address() == null) {
                break; // not an address: the last real hop stands
            }
            client = hop.address();
            clientHop = hop;
            if (!trusts(hop.address())) {
                break;
            }
        }
        if (clientHop == null) {
            return new ClientInfo(peer, scheme, host, false);
        }
        String clientScheme = clientHop.proto() != null ? clientHop.proto() : scheme;
        Optional<String> clientHost = clientHop.host() != null ? Optional.of(clientHop.host()) : host;
        return new ClientInfo(client, clientScheme, clientHost, true);
    }

    /** X-Forwarded-For hops; the right-most X-Forwarded-Proto and -Host go with the left-most real one. */
    private static List<Hop> xForwardedHops(Headers requestHeaders) {
        List<String> entries = new ArrayList<>();
        for (String line : requestHeaders.all("x-forwarded-for")) {
            for (String entry : line.split(",", -1)) {
                entries.add(entry.trim());
            }
        }
        if (entries.isEmpty()) {
            return List.of();
        }
        String proto = proto(lastOf(requestHeaders.all("x-forwarded-proto")));
        String host = host(lastOf(requestHeaders.all("x-forwarded-host")));
        List<Hop> hops = new ArrayList<>(entries.size());
        for (String entry : entries) {
            hops.add(new Hop(address(entry), proto, host));
        }
        return hops;
    }

    private static String lastOf(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        String line = lines.getLast();
        int comma = line.lastIndexOf(',');
        return (comma < 0 ? line : line.substring(comma + 1)).trim();
    }

    /** {@code http} or {@code https} (any case), else null. */
    static String proto(String value) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    /** A {@code host[:port]} fit for a {@code Host} header (reg-name, IPv4 or [IPv6]), else null. */
    static String host(String value) {
        if (value == null || value.isEmpty() || value.length() > 261) {
            return null;
        }
        String name = value;
        int colon = value.lastIndexOf(':');
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !isAddress(value.substring(1, close))) {
                return null;
            }
            if (close + 1 < value.length() && (value.charAt(close + 1) != ':' || !isPort(value.substring(close + 2)))) {
                return null;
            }
            return value;
        }
        if (colon >= 0) {
            if (!isPort(value.substring(colon + 1))) {
                return null;
            }
            name = value.substring(0, colon);
        }
        if (name.isEmpty() || name.length() > 253) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok) {
                return null;
            }
        }
        return value;
    }

    private static boolean isPort(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(digits) <= 65535;
    }

    private static boolean isAddress(String literal) {
        return literal(literal) != null;
    }

    /**
     * The address in an X-Forwarded-For entry or a {@code for=} value: an IPv4 or IPv6 literal,
     * optionally with a port ({@code 1.2.3.4:80}, {@code [::1]:80}); null for anything else.
     */
    static InetAddress address(String entry) {
        if (entry == null || entry.isEmpty() || entry.length() > 64) {
            return null;
        }
        String literal = entry;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !(rest.charAt(0) == ':' && isPort(rest.substring(1)))) {
                return null;
            }
            literal = entry.substring(1, close);
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
            int colon = entry.indexOf(':'); // IPv4 with a port; an IPv6 literal has several colons
            if (!isPort(entry.substring(colon + 1))) {
                return null;
            }
            literal = entry.substring(0, colon);
        }
        return literal(literal);
    }

    private static InetAddress literal(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return null; // no scope ids: they name an interface of the proxy's machine
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null; // ofLiteral never resolves names, but say so without asking it
            }
        }
        if (text.indexOf(':') < 0 && !isDottedQuad(text)) {
            return null; // ofLiteral also takes "1.2.3" and "127.1"; no proxy writes those
        }
        try {
            return canonical(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Four decimal parts of 0..255 without leading zeros (which some parsers read as octal). */
    private static boolean isDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) as the IPv4 address they carry. */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        return address;
    }

    /** One proxy hop: the address it received from (null if not an address) and what it saw. */
    record Hop(InetAddress address, String proto, String host) {}

    /** A network in CIDR notation. */
    private record Network(byte[] base, int prefix) {
        static Network parse(String cidr, List<String> problems) {
            if (cidr == null || cidr.isBlank()) {
                problems.add("trustedProxies: an entry is empty; give a network such as 10.0.0.0/8 or an address");
                return null;
            }
            String text = cidr.strip();
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                problems.add("trustedProxies: '" + cidr + "' is not an IP address or network (10.0.0.0/8, fd00::/8);"
                        + " host names are not resolved");
                return null;
            }
            byte[] base = address.getAddress();
            int bits = base.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)
                        || Integer.parseInt(length) > bits) {
                    problems.add("trustedProxies: '" + cidr + "' has a prefix length that is not 0.." + bits);
                    return null;
                }
                prefix = Integer.parseInt(length);
            }
            Network network = new Network(base, prefix);
            if (hostBits(base, prefix)) {
                problems.add("trustedProxies: '" + cidr + "' has bits set past its prefix; did you mean "
                        + network.text() + "?");
                return null;
            }
            return network;
        }

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (base[full] & mask);
        }

        private static boolean hostBits(byte[] base, int prefix) {
            for (int bit = prefix; bit < base.length * 8; bit++) {
                if ((base[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                    return true;
                }
            }
            return false;
        }

        private String text() {
            byte[] masked = base.clone();
            for (int bit = prefix; bit < masked.length * 8; bit++) {
                masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            try {
                String address = InetAddress.getByAddress(masked).getHostAddress();
                return address + "/" + prefix;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
