package dev.weft.benchmarks.techempower;

/** A row of table {@code fortune}. */
public record Fortune(int id, String message) {}
