package org.optline.core.campaign;

import java.time.Instant;

/** The outcomes of one second (or, in a report, one bucket of seconds) of a campaign. */
public record SeriesPoint(Instant start, Counts counts) {}
