package org.optline.storage.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.TemplateStore;

/** Registered templates on disk: {@code business ‖ 0 ‖ name → template} in the {@code templates} family. */
public final class RocksTemplateStore implements TemplateStore {
    private final RocksStorage storage;

    public RocksTemplateStore(RocksStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<List<RegisteredTemplate>> all() {
        return RocksStorage.read(() -> {
            List<RegisteredTemplate> all = new ArrayList<>();
            storage.scan(storage.templates, new byte[0], (key, value) -> all.add(Codec.template(value)));
            return all;
        });
    }

    @Override
    public CompletableFuture<Void> put(RegisteredTemplate template) {
        byte[] key = Keys.template(template.businessId(), template.name());
        byte[] value = Codec.template(template);
        return storage.write(group -> {
            group.put(storage.templates, key, value);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> delete(String businessId, String name) {
        byte[] key = Keys.template(businessId, name);
        return storage.write(group -> {
            group.delete(storage.templates, key);
            return null;
        });
    }
}
