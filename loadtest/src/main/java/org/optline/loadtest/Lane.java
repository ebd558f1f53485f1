package org.optline.loadtest;

/**
 * One connection of an open-model run, as the {@link Pacer} sees it: it can say whether it
 * could take another request now, and be woken to claim due requests from the
 * {@link OpenLoop}. A lane also claims on its own whenever an answer frees room.
 */
interface Lane {

    /** True when the lane could send another request now; may be stale by the time it is used. */
    boolean hasRoom();

    /** Asks the lane to claim and send what is due; returns at once, from any thread. */
    void wake();

    /** False once the lane's connection has closed: it will send nothing more. */
    default boolean isOpen() {
        return true;
    }
}
