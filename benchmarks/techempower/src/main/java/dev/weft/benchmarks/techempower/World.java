package dev.weft.benchmarks.techempower;

/** A row of table {@code world}; as JSON {@code {"id":..,"randomNumber":..}}. */
public record World(int id, int randomNumber) {}
