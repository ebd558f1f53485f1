package org.optline.core.erasure;

import java.time.Instant;

/**
 * What an erasure did: when, the id it is recorded under (a keyed hash, never the number), and
 * how many queued messages went with it.
 */
public record ErasureReceipt(Instant erasedAt, String erasureId, int messagesRemoved) {}
