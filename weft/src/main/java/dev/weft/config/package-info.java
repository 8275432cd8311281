/**
 * Configuration from environment variables, validated at startup with every problem reported
 * at once: {@link dev.weft.config.Config} reads typed values ({@link dev.weft.config.Parsers}) or
 * binds records ({@link dev.weft.config.Binding}), {@link dev.weft.config.ServerEnv} reads the
 * server's own {@code WEFT_*} options, and {@link dev.weft.config.ConfigCheck} prints the table
 * and exits 78 ({@code EX_CONFIG}) when something is wrong, or checks only with
 * {@code --check-config}. Secrets ({@link dev.weft.config.Secret}, secret-sounding names, files,
 * URL passwords) are never shown.
 */
package dev.weft.config;
