package org.optline.core.campaign;

import java.util.List;
import java.util.Objects;
import org.optline.core.recipient.PhoneNumber;

/**
 * One member of a stored audience: its place in upload order and what its message is filled with.
 *
 * @param ordinal the member's place in the audience, from 0, in upload order (duplicates take none)
 */
public record AudienceRow(long ordinal, PhoneNumber recipient, List<String> parameters) {
    public AudienceRow {
        Objects.requireNonNull(recipient);
        parameters = List.copyOf(parameters);
    }

    @Override
    public String toString() {
        return "AudienceRow[" + ordinal + ", " + recipient.masked() + "]";
    }
}
