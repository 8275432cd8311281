package com.example;

import dev.weft.extract.InvalidValueException;
import dev.weft.extract.Json;
import dev.weft.extract.PathParam;
import dev.weft.extract.State;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A small JSON service: replace the notes with your own domain. */
public final class App {
    private App() {}

    /** What a client sends to create a note; it checks itself. */
    public record NewNote(String text) {
        public NewNote {
            if (text.isBlank()) {
                throw new InvalidValueException("text", "must not be blank");
            }
        }
    }

    public record Note(long id, String text) {}

    /** The application's state: given to the router once, shared by every request. */
    public static final class Notes {
        private final Map<Long, Note> notes = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        Note add(NewNote note) {
            Note added = new Note(ids.incrementAndGet(), note.text());
            notes.put(added.id(), added);
            return added;
        }

        Optional<Note> find(long id) {
            return Optional.ofNullable(notes.get(id));
        }
    }

    /** The routes, also what the tests drive. */
    public static Router router(Notes notes) {
        return Router.builder()
                .state(Notes.class, notes)
                .get("/", () -> "ok")
                .post("/notes", State.of(Notes.class), Json.of(NewNote.class),
                        (store, note) -> {
                            Note added = store.add(note);
                            return Response.created("/notes/" + added.id(), added);
                        })
                .get("/notes/{id}", State.of(Notes.class), PathParam.of("id", Long.class),
                        (store, id) -> store.find(id)) // empty → 404
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Server.builder().port(8080).build().serve(router(new Notes())).awaitShutdown();
    }
}
