package org.optline.core.template;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The templates businesses registered through the API, behind the storage-engine seam: one
 * record per (business, name), its current version. Templates from the configuration file are
 * not stored; they are read from the file at each start.
 */
public interface TemplateStore {

    /** Every stored template: read once, when the node starts. */
    CompletableFuture<List<RegisteredTemplate>> all();

    /** Stores a template, replacing the business's template of that name; completes when durable. */
    CompletableFuture<Void> put(RegisteredTemplate template);

    /** Removes the business's template of that name; completes when durable. */
    CompletableFuture<Void> delete(String businessId, String name);
}
