package dev.weft.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program run in a child JVM by {@link IdleConnectionsMemoryTest}: it holds thousands of
 * connections to {@code 127.0.0.1:<port>}, so that their client sockets do not count against the
 * test JVM's file limit. It uses the JDK only and runs from the class path, outside the test's
 * modules.
 *
 * <p>It reads one command per line on standard input and answers one line on standard output:
 * <ul>
 *   <li>{@code connect N}: opens {@code N} connections and sends nothing; answers
 *       {@code connected N} or {@code failed <reason>};
 *   <li>{@code request}: sends one keep-alive {@code GET /hello} on every connection and reads
 *       its response; answers {@code answered <ok> <failed> [<first failure>]}, where ok counts
 *       {@code 200 hello} responses without {@code connection: close};
 *   <li>{@code quit}, or the end of standard input (the test JVM is gone): closes every
 *       connection and exits.
 * </ul>
 * It exits by itself after {@link #LIFETIME_MS} whatever happens. {@link #start} runs it.
 */
final class ConnectionHolder {
    static final long LIFETIME_MS = 5 * 60_000;
    private static final int TIMEOUT_MS = 30_000;
    /** Requests written before their responses are read: keeps the server busy without a thread per socket. */
    private static final int BATCH = 500;
    private static final byte[] REQUEST = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final List<Socket> sockets = new ArrayList<>();

    private ConnectionHolder(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws IOException {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(LIFETIME_MS);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(3);
        });
        ConnectionHolder holder = new ConnectionHolder(Integer.parseInt(args[0]));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try {
            for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
                System.out.println(holder.run(line.trim()));
                System.out.flush();
            }
        } finally {
            holder.closeAll();
        }
    }

    private String run(String command) {
        if (command.startsWith("connect ")) {
            return connect(Integer.parseInt(command.substring("connect ".length())));
        }
        if (command.equals("request")) {
            return requestOnEach();
        }
        return "failed unknown command '" + command + "'";
    }

    private String connect(int count) {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            try {
                socket.setSoTimeout(TIMEOUT_MS);
                socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
                sockets.add(socket);
            } catch (IOException e) {
                close(socket);
                return "failed connection " + i + ": " + e;
            }
        }
        return "connected " + sockets.size();
    }

    private String requestOnEach() {
        int ok = 0;
        int failed = 0;
        String firstFailure = "";
        for (int from = 0; from < sockets.size(); from += BATCH) {
            List<Socket> batch = sockets.subList(from, Math.min(sockets.size(), from + BATCH));
            List<String> outcomes = new ArrayList<>(batch.size());
            for (Socket socket : batch) {
                try {
                    socket.getOutputStream().write(REQUEST);
                    outcomes.add(null);
                } catch (IOException e) {
                    outcomes.add("write failed: " + e);
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                String failure = outcomes.get(i) != null ? outcomes.get(i) : readHello(batch.get(i));
                if (failure == null) {
                    ok++;
                } else {
                    failed++;
                    firstFailure = firstFailure.isEmpty() ? "connection " + (from + i) + ": " + failure : firstFailure;
                }
            }
        }
        return ("answered " + ok + " " + failed + " " + firstFailure).trim();
    }

    /** Reads one response; {@code null} if it is {@code 200 hello} and keeps the connection, else what is wrong. */
    private static String readHello(Socket socket) {
        byte[] buffer = new byte[2048];
        int filled = 0;
        try {
            InputStream in = socket.getInputStream();
            while (filled < buffer.length) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    return "closed after " + filled + " bytes";
                }
                filled += n;
                String text = new String(buffer, 0, filled, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    continue;
                }
                String head = text.substring(0, end).toLowerCase(Locale.ROOT);
                int length = contentLength(head);
                if (filled < end + 4 + length) {
                    continue;
                }
                String body = text.substring(end + 4);
                boolean fine = head.startsWith("http/1.1 200 ") && body.equals("hello")
                        && !head.contains("\r\nconnection: close");
                return fine ? null : "unexpected response: " + text;
            }
            return "response longer than " + buffer.length + " bytes";
        } catch (IOException | RuntimeException e) {
            return "read failed after " + filled + " bytes: " + e;
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        throw new IllegalStateException("no content-length in: " + head);
    }

    private void closeAll() {
        sockets.forEach(ConnectionHolder::close);
        sockets.clear();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Starts the program in a child JVM, connecting to {@code 127.0.0.1:port}. */
    static Child start(int port) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the java launcher of this JVM is unknown"));
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPathRoot().toString(), ConnectionHolder.class.getName(), Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new Child(process);
    }

    /** The directory this class was compiled into (test classes are patched into the module from there). */
    private static Path classPathRoot() {
        String name = ConnectionHolder.class.getName().replace('.', '/') + ".class";
        URL url = ConnectionHolder.class.getClassLoader().getResource(name);
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IllegalStateException("ConnectionHolder.class is not a file: " + url);
        }
        try {
            Path file = Path.of(url.toURI());
            Path root = file;
            for (int i = 0; i < name.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The running child: sends commands, waits for answers, and ends it on close. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final OutputStream commands;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        private Child(Process process) {
            this.process = process;
            this.commands = process.getOutputStream();
            Thread.ofPlatform().daemon().name("connection-holder-output").start(() -> {
                try (BufferedReader out = process.inputReader(StandardCharsets.US_ASCII)) {
                    for (String line; (line = out.readLine()) != null; ) {
                        answers.add(line);
                    }
                } catch (IOException ended) {
                    // the child is gone; command() reports it
                }
            });
        }

        /** Sends {@code command} and returns the answer line; fails if none comes within {@code timeout}. */
        String command(String command, Duration timeout) throws InterruptedException {
            try {
                commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
                commands.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the connection holder is gone (exit " + exitValue() + ")", e);
            }
            String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new AssertionError("no answer to '" + command + "' within " + timeout + " (exit "
                        + exitValue() + ")");
            }
            return answer;
        }

        private String exitValue() {
            return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
        }

        /** Asks the child to close its connections and exit; kills it if it does not within 10 s. */
        @Override
        public void close() throws InterruptedException {
            try {
                commands.write("quit\n".getBytes(StandardCharsets.US_ASCII));
                commands.close();
            } catch (IOException alreadyGone) {
                // it exited
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
