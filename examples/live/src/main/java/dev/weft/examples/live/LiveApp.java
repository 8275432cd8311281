package dev.weft.examples.live;

import dev.weft.extract.Extractor;
import dev.weft.extract.PathParam;
import dev.weft.extract.Query;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.extract.State;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.sse.Sse;
import dev.weft.ws.Hub;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The live demo: a WebSocket echo, chat rooms on a broadcast {@link Hub}, a ticker as
 * server-sent events, and the one-page HTML client that uses all three.
 *
 * <pre>
 * GET /                      the page (index.html, from the jar)
 * GET /ws/echo               WebSocket: every message comes back
 * GET /ws/chat/{room}?name=  WebSocket: join {room} as {name}; what you send goes to the room
 * GET /events/ticker         text/event-stream: a "tick" event per tick, resumes from Last-Event-ID
 * </pre>
 *
 * <p><b>Origins.</b> Weft refuses (403) a WebSocket handshake whose {@code Origin} is another
 * site's, so a page elsewhere cannot open a chat session with a visitor's cookies. The page is
 * served by this app, from the same origin, so it needs nothing; to let a page on another origin
 * in, name it with {@code WebSocketOptions.builder().allowedOrigins("https://app.example.com")}.
 */
public final class LiveApp {
    private LiveApp() {}

    /** Chat: small text messages only; a bigger message closes the session with 1009. */
    static final WebSocketOptions CHAT = WebSocketOptions.builder()
            .maxMessageBytes(4 * 1024)
            .build();

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_ .-]{1,24}");

    /** A chat room from the path: 1 to 32 letters, digits, '-' or '_'. */
    static final Extractor<String> ROOM_PARAM = PathParam.string("room").map(room -> {
        if (!ROOM.matcher(room).matches()) {
            throw new RejectedException(new Rejection.InvalidPathParam("room", "1 to 32 letters, digits, '-' or '_'"));
        }
        return room;
    });

    /**
     * The chat name from {@code ?name=}, checked before the handshake is accepted: a missing or
     * bad name is an ordinary 400 problem, and no socket is opened.
     */
    static final Extractor<String> NAME_PARAM = Query.string("name").map(raw -> {
        String name = raw.strip();
        if (!NAME.matcher(name).matches()) {
            throw new RejectedException(new Rejection.InvalidQueryParam("name",
                    "1 to 24 letters, digits, spaces, '.', '-' or '_'"));
        }
        return name;
    });

    /** What the chat sends to a room's members, as JSON. */
    public record ChatEvent(String type, String name, String text, int members) {
        static ChatEvent joined(String name, int members) {
            return new ChatEvent("join", name, "", members);
        }

        static ChatEvent left(String name, int members) {
            return new ChatEvent("leave", name, "", members);
        }

        static ChatEvent said(String name, String text, int members) {
            return new ChatEvent("message", name, text, members);
        }
    }

    /** The app: {@code hub} carries the chat, {@code ticks} paces the ticker. */
    public static Router app(Hub hub, TickClock ticks) {
        String page = page();
        Ticker ticker = new Ticker(ticks);
        return Router.builder()
                .state(Hub.class, hub)
                .get("/", () -> Response.html(page))
                .webSocket("/ws/echo", LiveApp::echo)
                .get("/ws/chat/{room}", State.of(Hub.class), ROOM_PARAM, NAME_PARAM, WebSocketUpgrade.extractor(CHAT),
                        (h, room, name, upgrade) -> upgrade.accept(socket -> chat(h, room, name, socket)))
                .get("/events/ticker", Sse.lastEventId(), ticker::stream)
                .build();
    }

    /** Sends every message back as it came, text as text and binary as binary. */
    static void echo(WebSocket socket) throws Exception {
        for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
            switch (m) {
                case Message.Text text -> socket.send(text.text());
                case Message.Binary binary -> socket.send(binary.bytes());
                case Message.Close close -> { }
            }
        }
    }

    /** One member of a room: join notice, every text to the whole room, leave notice. */
    static void chat(Hub hub, String room, String name, WebSocket socket) throws Exception {
        hub.join(room, socket);
        try {
            hub.broadcastJson(room, ChatEvent.joined(name, hub.members(room)));
            for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
                if (m instanceof Message.Text text) {
                    if (!text.text().isBlank()) {
                        // encoded once for the whole room; never blocks on a slow member
                        hub.broadcastJson(room, ChatEvent.said(name, text.text().strip(), hub.members(room)));
                    }
                } else {
                    socket.close(Message.Close.UNSUPPORTED_DATA, "the chat takes text messages only");
                }
            }
        } finally {
            hub.leave(room, socket); // the hub would also drop it when the session ends
            hub.broadcastJson(room, ChatEvent.left(name, hub.members(room)));
        }
    }

    /** The one-page client, read once from the jar. */
    static String page() {
        try (InputStream in = LiveApp.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
