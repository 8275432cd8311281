package dev.weft.examples.todo;

/** A todo item as the API returns it. */
public record Todo(long id, String title, boolean done) {}
