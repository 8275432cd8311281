package dev.weft.benchmarks.techempower;

/** The body of {@code /json}, made and serialized anew for every request as the rules require. */
public record Message(String message) {}
