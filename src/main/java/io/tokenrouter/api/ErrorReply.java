package io.tokenrouter.api;

import io.vertx.core.buffer.Buffer;

/** An error as one API writes it: the status it uses and its JSON body. */
public record ErrorReply(int status, Buffer body) {}
