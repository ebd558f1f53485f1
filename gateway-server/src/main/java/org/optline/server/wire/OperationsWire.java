package org.optline.server.wire;

import org.optline.core.storage.BackupService;
import org.optline.proto.v1.BackupResult;

/** The operations endpoints' bodies between protobuf and the domain. */
public final class OperationsWire {
    private OperationsWire() {}

    public static BackupResult backup(BackupService.Result.Made made) {
        return BackupResult.newBuilder()
                .setName(made.name())
                .setDirectory(made.backup().directory().toString())
                .setCommit(made.backup().commit())
                .setTableFiles(made.backup().files())
                .setBytes(made.backup().bytes())
                .build();
    }
}
