package dev.weft.config;

import dev.weft.WeftException;
import dev.weft.config.ConfigEntry.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads typed configuration from environment variables, collecting <em>every</em> problem
 * (missing, malformed, out of range) so that one table can report them all at once, before
 * anything is started.
 *
 * <p>Read values one by one ({@link #required}, {@link #optional(String, ValueParser)},
 * {@link #optional(String, ValueParser, Object)}) or bind a whole record ({@link #bind(Class)},
 * {@link #binding(Class)}); then call {@link #check()}, or let {@link ConfigCheck#run} do it for a
 * {@code main}. Until {@code check()} passes, reads return placeholders, never the application's
 * real configuration.
 *
 * {@snippet class=dev.weft.config.ConfigExamples region=fields}
 *
 * <p>Rules, for every variable {@code NAME}:
 * <ul>
 * <li>An empty value counts as unset ({@code NAME=} in a compose file means "not configured").</li>
 * <li>{@code NAME_FILE} names a file holding the value (Docker and Kubernetes secrets): it is read
 *     as UTF-8 (at most 64 KiB) and one trailing newline is removed. Setting both {@code NAME} and
 *     {@code NAME_FILE} is a problem; so is a file that cannot be read (the problem names the
 *     path, never the content). Values read from files are always masked.</li>
 * <li>A value is masked ({@value Secret#MASK}) in tables, messages and logs when its parser is
 *     secret ({@link Parsers#secret()}, {@link Parsers#sensitive}), when its name contains a word
 *     such as {@code PASSWORD}, {@code TOKEN}, {@code KEY}, {@code SECRET}, {@code CREDENTIALS} or
 *     {@code PRIVATE}, or when it came from a file. Passwords in URL userinfo
 *     ({@code postgres://user:****@host/db}) and secret query parameters are masked in every
 *     value shown.</li>
 * <li>Every variable starting with {@code WEFT_} that nothing read is logged as a warning at
 *     {@link #check()}, with the closest known name ("did you mean WEFT_PORT?").</li>
 * </ul>
 *
 * <p>Not thread-safe: read the configuration from one thread at startup.
 */
public final class Config {
    private static final Logger LOG = LoggerFactory.getLogger(Config.class);
    static final int MAX_FILE_BYTES = 64 * 1024;

    private final Map<String, String> env;
    private final Map<String, ConfigEntry> entries = new LinkedHashMap<>();
    private boolean warned;

    private Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A reader of {@code env}, e.g. {@code System.getenv()} or a map in a test. */
    public static Config from(Map<String, String> env) {
        return new Config(Objects.requireNonNull(env, "env"));
    }

    /** A reader of this process's environment. */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * The value of {@code name}; when it is missing or invalid, a problem is recorded and the
     * parser's {@linkplain ValueParser#placeholder() placeholder} returned.
     */
    public <T> T required(String name, ValueParser<T> parser) {
        return read(name, parser, true, null).orElse(parser.placeholder());
    }

    /** The value of {@code name} if set; an invalid value is a problem (and gives empty). */
    public <T> Optional<T> optional(String name, ValueParser<T> parser) {
        return read(name, parser, false, null);
    }

    /** The value of {@code name}, or {@code defaultValue} when it is unset; an invalid value is a problem. */
    public <T> T optional(String name, ValueParser<T> parser, T defaultValue) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        return read(name, parser, false, defaultValue).orElse(defaultValue);
    }

    /** Binds record {@code type} with names derived from its components; see {@link #binding(Class)}. */
    public <R extends Record> R bind(Class<R> type) {
        return binding(type).bind();
    }

    /**
     * A binding of record {@code type}: each component is read from the variable named after it
     * ({@code databaseMaxConnections} → {@code DATABASE_MAX_CONNECTIONS}), with a parser chosen
     * by its type, unless the binding says otherwise.
     *
     * {@snippet class=dev.weft.config.ConfigExamples region=bind}
     */
    public <R extends Record> Binding<R> binding(Class<R> type) {
        return new Binding<>(this, type);
    }

    /**
     * Runs {@code reads} against this reader, then {@link #check()}s: the result is built from
     * valid values only.
     *
     * @throws ConfigException listing every problem
     */
    public <T> T read(Function<Config, T> reads) {
        T value = reads.apply(this);
        check();
        return value;
    }

    /**
     * Logs a warning for each unknown {@code WEFT_*} variable (once), then throws if anything
     * was refused.
     *
     * @throws ConfigException listing every problem, in one table
     */
    public void check() {
        if (!warned) {
            warned = true;
            warnings().forEach(LOG::warn);
        }
        List<ConfigEntry> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every variable read so far, in order, sanitized. */
    public List<ConfigEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The variables refused so far. */
    public List<ConfigEntry> problems() {
        return entries.values().stream().filter(e -> !e.ok()).toList();
    }

    /** The table of every variable read: name, sanitized value, source, expected form. */
    public String table() {
        return Tables.all(entries());
    }

    /**
     * One warning for each set {@code WEFT_*} variable that nothing has read, with the closest
     * name that was read ("did you mean ...?") when one is near enough.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (String name : new TreeMap<>(env).keySet()) {
            if (!name.startsWith("WEFT_") || known(name)) {
                continue;
            }
            String hint = Suggest.closest(name, entries.keySet()).map(k -> "; did you mean " + k + "?").orElse("");
            out.add("unknown configuration variable " + name + " (ignored)" + hint);
        }
        return out;
    }

    private boolean known(String name) {
        return entries.containsKey(name)
                || (name.endsWith("_FILE") && entries.containsKey(name.substring(0, name.length() - 5)));
    }

    /** Records a problem that is not about one variable's text, e.g. two values that disagree. */
    void problem(String name, String shownValue, String expected, String problem) {
        entries.put(name, new ConfigEntry(name, shownValue, Source.ENV, expected, Optional.of(problem)));
    }

    <T> Optional<T> read(String name, ValueParser<T> parser, boolean required, T defaultValue) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        String expected = parser.expected();
        boolean secret = parser.secret() || Tables.secretName(name);
        String direct = emptyToNull(env.get(name));
        String fileName = emptyToNull(env.get(name + "_FILE"));
        if (direct != null && fileName != null) {
            // NAME_FILE says the value is a secret: NAME's own value is masked too.
            put(name, Secret.MASK, Source.ENV, expected,
                    "both " + name + " and " + name + "_FILE are set; set one");
            return Optional.empty();
        }
        String text = direct;
        Source source = Source.ENV;
        if (fileName != null) {
            source = Source.FILE;
            secret = true;
            try {
                text = emptyToNull(readFile(fileName));
            } catch (IOException | InvalidPathException e) {
                put(name, "file " + Tables.shown(fileName), Source.FILE, expected, "cannot read file "
                        + Tables.shown(fileName) + ": " + reason(e));
                return Optional.empty();
            }
        }
        if (text == null) {
            if (defaultValue != null) {
                String shown = parser.secret() || Tables.secretName(name) ? Secret.MASK : Tables.shown(String.valueOf(defaultValue));
                entries.put(name, new ConfigEntry(name, shown, Source.DEFAULT, expected, Optional.empty()));
            } else if (required) {
                put(name, source == Source.FILE ? "empty file" : "missing", Source.MISSING, expected, "missing");
            } else {
                entries.put(name, new ConfigEntry(name, "unset", Source.UNSET, expected, Optional.empty()));
            }
            return Optional.empty();
        }
        String shown = secret ? Secret.MASK : Tables.shown(text);
        try {
            T value = parser.parse(text);
            entries.put(name, new ConfigEntry(name, shown, source, expected, Optional.empty()));
            return Optional.of(value);
        } catch (IllegalArgumentException e) {
            // A parser's reason may quote the value; for a secret, say nothing about it.
            String why = secret || e.getMessage() == null ? "invalid" : Tables.shown(e.getMessage());
            put(name, shown, source, expected, why.startsWith("\"") ? why.substring(1, why.length() - 1) : why);
            return Optional.empty();
        }
    }

    private void put(String name, String shown, Source source, String expected, String problem) {
        entries.put(name, new ConfigEntry(name, shown, source, expected, Optional.of(problem)));
    }

    private static String readFile(String name) throws IOException {
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new FileProblem("a directory, not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new FileProblem("larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FileProblem("not UTF-8");
        }
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Why a file could not be read; never its content (JDK messages name the path at most). */
    private static String reason(Exception e) {
        return switch (e) {
            case FileProblem p -> p.getMessage();
            case java.nio.file.NoSuchFileException n -> "no such file";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case InvalidPathException i -> "not a valid path";
            default -> e.getClass().getSimpleName();
        };
    }

    private static final class FileProblem extends IOException {
        private static final long serialVersionUID = 1L;

        FileProblem(String message) {
            super(message);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "Config[" + entries.size() + " variables read, " + problems().size() + " problems]";
    }

    /** A programming mistake in a binding (an unsupported component type, an unknown component). */
    static WeftException misuse(String message) {
        return new WeftException(message);
    }
}
