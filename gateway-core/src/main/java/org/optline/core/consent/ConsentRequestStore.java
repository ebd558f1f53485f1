package org.optline.core.consent;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.optline.core.recipient.PhoneNumber;

/**
 * Where consent requests are kept: only the latest request of a business to a recipient for a
 * class matters (for the decision window and the cool-down), so that is all that is stored.
 */
public interface ConsentRequestStore {

    /** When the business last asked the recipient for the class, if ever. */
    CompletableFuture<Optional<Instant>> lastAsked(String businessId, PhoneNumber recipient,
                                                   ConsentClass consentClass);

    /** Records a new request; the future completes when it is durable. */
    CompletableFuture<Void> recordAsked(String businessId, PhoneNumber recipient, ConsentClass consentClass,
                                        Instant at);

    /** Right to erasure: forgets every request made to the recipient, by any business. */
    CompletableFuture<Void> erase(PhoneNumber recipient);
}
