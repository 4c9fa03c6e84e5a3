package io.tokenrouter.store;

/**
 * Which users to list, oldest first; null filters match everything.
 *
 * @param email part of the email, case ignored
 */
public record UserQuery(String plan, String email, int offset, int limit) {}
