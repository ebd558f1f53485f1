package org.optline.server;

import java.io.PrintStream;
import java.nio.file.Path;
import org.optline.core.storage.StorageException;
import org.optline.storage.rocksdb.RocksStorage;

/**
 * {@code optline-gateway restore --from BACKUP --data-dir DIR}: puts a backup made by {@code POST
 * /v1/operations/backup} in place of the store in {@code DIR/store}, with the gateway on that
 * directory stopped. The backup is checked before anything is touched; a store already there is
 * moved aside, never deleted.
 */
final class RestoreCommand {
    static final String USAGE = """
            Usage: optline-gateway restore --from BACKUP_DIR --data-dir DATA_DIR
              Puts the backup in BACKUP_DIR (made by POST /v1/operations/backup or scripts/backup.sh) in
              place of the store in DATA_DIR/store. Stop the gateway on DATA_DIR first. The backup is
              checked first; a store already there is moved aside to DATA_DIR/store.replaced-<time>.""";

    private RestoreCommand() {}

    /** Runs the command; returns the process's exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path from = null;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--from" -> from = hasValue ? Path.of(args[++i]) : null;
                case "--data-dir" -> dataDir = hasValue ? Path.of(args[++i]) : null;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("optline: restore: unknown argument '" + args[i] + "'");
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        if (from == null || dataDir == null) {
            err.println("optline: restore needs --from and --data-dir");
            err.println(USAGE);
            return 2;
        }
        try {
            RocksStorage.Restored restored = RocksStorage.restore(from, dataDir.resolve(Gateway.STORE_DIRECTORY));
            out.println("Restored " + from + " into " + restored.store() + ": up to commit " + restored.commit() + ", "
                    + restored.files() + " table files, " + restored.bytes() + " bytes, checked.");
            if (restored.replaced() != null) {
                out.println("The store that was there is in " + restored.replaced()
                        + "; delete it once the restored node runs as it should.");
            }
            out.println("Start the gateway on " + dataDir + " now.");
            return 0;
        } catch (StorageException e) {
            err.println("optline: " + e.getMessage());
            return 1;
        }
    }
}
