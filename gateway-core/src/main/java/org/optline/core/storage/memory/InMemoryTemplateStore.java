package org.optline.core.storage.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.template.RegisteredTemplate;
import org.optline.core.template.TemplateStore;

/** Registered templates in the heap: for tests and the ephemeral mode. */
public final class InMemoryTemplateStore implements TemplateStore {
    private record Key(String businessId, String name) {}

    private final Map<Key, RegisteredTemplate> templates = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<List<RegisteredTemplate>> all() {
        return CompletableFuture.completedFuture(new ArrayList<>(templates.values()));
    }

    @Override
    public CompletableFuture<Void> put(RegisteredTemplate template) {
        templates.put(new Key(template.businessId(), template.name()), template);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> delete(String businessId, String name) {
        templates.remove(new Key(businessId, name));
        return CompletableFuture.completedFuture(null);
    }
}
