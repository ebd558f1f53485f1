package org.optline.core.limit;

/**
 * How many recipients a business reached: those whose last contact falls within the tier's
 * window, and within the longer reach window of a tier upgrade.
 */
public record ContactCounts(long inWindow, long inReach) {}
