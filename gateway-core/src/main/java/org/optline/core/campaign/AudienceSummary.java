package org.optline.core.campaign;

/**
 * What the uploads of a campaign's audience came to.
 *
 * @param rows data rows read, over every upload
 * @param recipients distinct valid recipients stored: the campaign's audience
 * @param invalidRows rows refused (a bad number, the wrong number of parameters, a malformed line)
 * @param duplicateRows valid rows whose recipient was already in the audience, sent to once
 */
public record AudienceSummary(long rows, long recipients, long invalidRows, long duplicateRows) {
    public static final AudienceSummary EMPTY = new AudienceSummary(0, 0, 0, 0);

    public AudienceSummary plus(AudienceSummary other) {
        return new AudienceSummary(rows + other.rows, recipients + other.recipients,
                invalidRows + other.invalidRows, duplicateRows + other.duplicateRows);
    }
}
