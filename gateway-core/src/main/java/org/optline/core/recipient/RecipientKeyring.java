package org.optline.core.recipient;

/**
 * Each recipient's data key, by token: the key that seals the recipient's number wherever a
 * store keeps it. Destroying it makes every sealed copy of the number unreadable, wherever the
 * copy is (a backup, a table file not yet compacted): crypto-shredding. A keyring must keep its
 * keys outside the store's backups, or a backup taken before an erasure would still open.
 */
public interface RecipientKeyring {
    /** The recipient's data key, made (and durable before any write that uses it) if there is none. */
    byte[] dataKey(byte[] token);

    /** The recipient's data key, or null when there is none (never made, or destroyed). */
    byte[] existingDataKey(byte[] token);

    /** Destroys the recipient's data key, durably; every number sealed under it is unreadable from then on. */
    void destroy(byte[] token);
}
