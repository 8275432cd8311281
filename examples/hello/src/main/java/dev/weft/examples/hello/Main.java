package dev.weft.examples.hello;

import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import dev.weft.server.Server;

public final class Main {
    static Router app() {
        return Router.builder()
                .get("/", () -> "Hello, World!")
                .get("/hello/{name}", PathParam.string("name"), name -> "Hello, " + name + "!")
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        Server.builder().port(8080).build().serve(app()).awaitShutdown();
    }
}
