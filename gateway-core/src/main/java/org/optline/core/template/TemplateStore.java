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

    /** What a store tells a node's registry of templates changed through the store. */
    interface Changes {
        void stored(RegisteredTemplate template);

        void deleted(String businessId, String name);
    }

    /**
     * Tells {@code changes}, from now on, of every template stored or deleted through this store,
     * by this node or by another node that shares it (an engine on Kafka), in the store's order,
     * so that a template registered on one node is in effect on every node. An engine of one node
     * has nothing to tell: the node's own changes reach its registry directly.
     */
    default void watch(Changes changes) {
    }
}
