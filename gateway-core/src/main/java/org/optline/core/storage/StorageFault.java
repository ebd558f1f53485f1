package org.optline.core.storage;

/** What keeps a store from taking writes, or from serving its data whole. */
public enum StorageFault {
    /** The disk is full: writes fail until space comes back, then the store takes them again by itself. */
    DISK_FULL,
    /** Writing fails for another reason (an I/O error, a file system turned read-only); an operator must look. */
    WRITE_FAILED,
    /**
     * Part of the store is damaged. It stays so until an operator restores it: the node takes no
     * more writes (a restore would lose them) and answers an error for any read that meets the damage.
     */
    CORRUPT;

    /** True for the faults that end by themselves once the cause is gone. */
    public boolean isTransient() {
        return this != CORRUPT;
    }
}
