package org.optline.core.campaign;

/**
 * What one append to a stored audience did.
 *
 * @param added members stored, each at the next ordinal
 * @param duplicates rows whose recipient the audience already had, left out
 */
public record AudienceAppend(long added, long duplicates) {}
