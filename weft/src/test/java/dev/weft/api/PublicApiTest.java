package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code weft/api/weft.api}, the listing of every public type and member of the exported
 * packages, in step with the code, so that an API change is always visible in review.
 * Run with {@code -Dweft.api.update=true} to rewrite the listing after an intended change.
 */
class PublicApiTest {
    private static final Path LISTING = Path.of("api", "weft.api");

    @Test
    void the_public_api_matches_the_committed_listing() throws IOException {
        String actual = listing();
        if (Boolean.getBoolean("weft.api.update")) {
            Files.createDirectories(LISTING.getParent());
            Files.writeString(LISTING, actual);
            // Comparing the listing with itself would prove nothing: an update run does not pass.
            org.junit.jupiter.api.Assumptions.abort("wrote " + LISTING + "; commit it and run again without the flag");
        }
        assertThat(LISTING).as("weft/api/weft.api is missing; run mvn verify -Dweft.api.update=true").exists();
        assertThat(actual)
                .as("the public API changed; if intended, run mvn verify -Dweft.api.update=true and commit weft/api/weft.api")
                .isEqualTo(Files.readString(LISTING));
    }

    @Test
    void no_exported_signature_mentions_netty() throws IOException {
        assertThat(listing()).doesNotContain("io.netty");
    }

    private static String listing() throws IOException {
        Module module = Router.class.getModule();
        List<String> packages = module.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .sorted()
                .toList();
        Path classes = Path.of("target", "classes");
        List<String> lines = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (String name : files.map(p -> p.getFileName().toString())
                        // Nested types are described inside their outer type, once.
                        .filter(n -> n.endsWith(".class") && !n.equals("package-info.class") && !n.contains("$"))
                        .map(n -> pkg + "." + n.substring(0, n.length() - 6))
                        .sorted()
                        .toList()) {
                    describe(load(name), lines);
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void describe(Class<?> type, List<String> lines) {
        if (!isVisible(type)) {
            return;
        }
        lines.add(kind(type) + " " + type.getTypeName() + typeVariables(type) + supertypes(type));
        if (type.isRecord()) {
            lines.add("  components(" + Arrays.stream(type.getRecordComponents())
                    .map(c -> name(c.getGenericType()) + " " + c.getName())
                    .collect(Collectors.joining(", ")) + ")");
        }
        List<String> members = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                members.add("  field " + modifiers(f.getModifiers()) + name(f.getGenericType()) + " " + f.getName());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                members.add("  new(" + params(c) + ")");
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if ((Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) && !m.isSynthetic()
                    && !m.isBridge()) {
                members.add("  " + modifiers(m.getModifiers() & ~Modifier.ABSTRACT) + typeParams(m)
                        + name(m.getGenericReturnType()) + " " + m.getName() + "(" + params(m) + ")");
            }
        }
        members.sort(null);
        lines.addAll(members);
        Arrays.stream(type.getDeclaredClasses())
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(inner -> describe(inner, lines));
    }

    private static boolean isVisible(Class<?> type) {
        return Modifier.isPublic(type.getModifiers()) || Modifier.isProtected(type.getModifiers());
    }

    private static String kind(Class<?> type) {
        String sealed = type.isSealed() ? "sealed " : "";
        if (type.isAnnotation()) return "@interface";
        if (type.isInterface()) return sealed + "interface";
        if (type.isEnum()) return "enum";
        if (type.isRecord()) return "record";
        return sealed + modifiers(type.getModifiers() & (Modifier.FINAL | Modifier.ABSTRACT)) + "class";
    }

    private static String supertypes(Class<?> type) {
        List<String> supers = new ArrayList<>();
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            supers.add("extends " + name(superclass));
        }
        for (Type i : type.getGenericInterfaces()) {
            supers.add((type.isInterface() ? "extends " : "implements ") + name(i));
        }
        return supers.isEmpty() ? "" : " " + String.join(" ", supers);
    }

    private static String typeVariables(Class<?> type) {
        return type.getTypeParameters().length == 0 ? "" : "<" + Arrays.stream(type.getTypeParameters())
                .map(Type::getTypeName).collect(Collectors.joining(", ")) + ">";
    }

    private static String typeParams(Executable e) {
        if (e.getTypeParameters().length == 0) {
            return "";
        }
        return "<" + Arrays.stream(e.getTypeParameters()).map(t -> t.getName()
                + (t.getBounds().length == 1 && t.getBounds()[0] == Object.class ? ""
                        : " extends " + Arrays.stream(t.getBounds()).map(PublicApiTest::name)
                                .collect(Collectors.joining(" & "))))
                .collect(Collectors.joining(", ")) + "> ";
    }

    private static String params(Executable e) {
        return Arrays.stream(e.getGenericParameterTypes()).map(PublicApiTest::name).collect(Collectors.joining(", "));
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers & (Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT
                | Modifier.PROTECTED));
        return text.isEmpty() ? "" : text + " ";
    }

    private static String name(Type type) {
        return type.getTypeName();
    }
}
