package org.optline.core.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hours of the day, in a recipient's local time, during which a campaign sends nothing to
 * that recipient: from {@code start} (inclusive) to {@code end} (exclusive), across midnight when
 * {@code start} is after {@code end}. A recipient whose number spans several time zones is quiet
 * while any of them is. The same start and end mean no quiet hours.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    /** The default: nobody is woken between 21:00 and 08:00. */
    public static final QuietHours DEFAULT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
    /** No quiet hours at all: for campaigns the marketer decides may go out any time. */
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    /**
     * How far ahead an opening is looked for: quiet windows that together cover every hour of two
     * whole days in a recipient's zones never open (a wide country with long quiet hours).
     */
    static final Duration SEARCH_HORIZON = Duration.ofHours(48);

    public QuietHours {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
    }

    public boolean isNone() {
        return start.equals(end);
    }

    /** True when the recipient is in quiet hours at {@code at} in any of its zones. */
    public boolean isQuiet(Instant at, List<ZoneId> zones) {
        return quietZone(at, zones) != null;
    }

    /**
     * The first instant at or after {@code at} at which none of the zones is in quiet hours; empty
     * when there is none within {@link #SEARCH_HORIZON}.
     */
    public Optional<Instant> nextOpening(Instant at, List<ZoneId> zones) {
        Instant candidate = at;
        Instant horizon = at.plus(SEARCH_HORIZON);
        // Each round moves past one zone's window; a window is at least a minute, so the
        // candidate passes the horizon within a bounded number of rounds.
        for (int round = 0; round < 8 * (zones.size() + 1); round++) {
            ZoneId quiet = quietZone(candidate, zones);
            if (quiet == null) {
                return Optional.of(candidate);
            }
            candidate = endOfWindow(candidate, quiet);
            if (candidate.isAfter(horizon)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private ZoneId quietZone(Instant at, List<ZoneId> zones) {
        if (isNone()) {
            return null;
        }
        for (ZoneId zone : zones) {
            if (isQuietAt(at.atZone(zone).toLocalTime())) {
                return zone;
            }
        }
        return null;
    }

    private boolean isQuietAt(LocalTime local) {
        if (start.isBefore(end)) {
            return !local.isBefore(start) && local.isBefore(end);
        }
        return !local.isBefore(start) || local.isBefore(end);
    }

    /** The next time the window that contains {@code at} in {@code zone} ends. */
    private Instant endOfWindow(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalDateTime end = local.toLocalDate().atTime(this.end);
        if (!end.isAfter(local.toLocalDateTime())) {
            end = end.plusDays(1);
        }
        // atZone moves a time that a DST change skips to after the gap: still the window's end.
        Instant ends = end.atZone(zone).toInstant();
        return ends.isAfter(at) ? ends : at.plusSeconds(60);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : start + "–" + end;
    }
}
