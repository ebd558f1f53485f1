package org.optline.core.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.optline.core.business.Business;

/**
 * One step of admission. A stage looks at the candidates no earlier stage has decided, in
 * batch order, and decides the ones its rule refuses; the rest go on to the next stage. Most
 * stages decide at once and answer {@link #DONE}; a stage that reads a store answers when the
 * read has, which is at once too when the read is served from memory or a local disk.
 */
interface Stage {
    /** What a stage that decided at once answers. */
    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    CompletableFuture<Void> apply(Business business, List<Candidate> undecided);
}
