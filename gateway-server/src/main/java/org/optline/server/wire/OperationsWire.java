package org.optline.server.wire;

import java.time.temporal.ChronoUnit;
import java.util.List;
import org.optline.core.business.KeyUsage;
import org.optline.core.business.PlatformScope;
import org.optline.core.storage.BackupService;
import org.optline.proto.v1.BackupResult;
import org.optline.proto.v1.CredentialUsage;
import org.optline.proto.v1.CredentialUsageList;

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

    /** Each key version by its id, owner, scopes and last use; never a key or a whole hash. */
    public static CredentialUsageList credentials(List<KeyUsage> usage) {
        CredentialUsageList.Builder list = CredentialUsageList.newBuilder();
        for (KeyUsage key : usage) {
            CredentialUsage.Builder entry = list.addCredentialsBuilder()
                    .setKeyId(key.keyId())
                    .setKind(key.platform() ? "platform" : "business")
                    .setOwner(key.owner());
            key.scopes().stream().map(PlatformScope::tag).sorted().forEach(entry::addScopes);
            key.lastUsed().ifPresent(at -> entry.setLastUsedAt(at.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return list.build();
    }
}
