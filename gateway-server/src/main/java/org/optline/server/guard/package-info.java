/**
 * What protects the node from its clients, for both listeners: connection caps per listener and
 * per address ({@link org.optline.server.guard.ConnectionLimits}), the memory budget of TCP
 * connections not yet authenticated ({@link org.optline.server.guard.UnauthenticatedBytes}), the
 * slow-down of addresses that fail to authenticate
 * ({@link org.optline.server.guard.AuthenticationFailures}), the reaping of clients that stopped
 * reading ({@link org.optline.server.guard.WriteProgress}), closing so that the last answer is
 * read ({@link org.optline.server.guard.LingeringClose}), one rate-limited line per unexpected
 * error ({@link org.optline.server.guard.UnexpectedErrors}), and what they did as metrics
 * ({@link org.optline.server.guard.GuardMetrics}). {@link org.optline.server.guard.Guards} holds
 * the node-wide state. Everything here runs on the connections' event loops or is thread-safe.
 */
package org.optline.server.guard;
