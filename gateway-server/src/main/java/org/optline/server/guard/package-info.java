/**
 * What protects the node from its clients, for both listeners: the memory budget of connections
 * not yet authenticated ({@link org.optline.server.guard.UnauthenticatedBytes}), and what the
 * guards did as metrics ({@link org.optline.server.guard.GuardMetrics}). Everything here runs on
 * the connections' event loops or is thread-safe.
 */
package org.optline.server.guard;
