package org.optline.core.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.optline.core.message.Category;

/**
 * The rules of a message's life after it is queued: how long each category lives when its sender
 * gives no time to live, the longest it may live, how long its status stays readable after it
 * left the queue, and how long a reader holds what it pulled.
 *
 * @param defaultTtl per category, the time to live of a message whose sender gave none
 * @param maxTtl per category, the longest time to live; a longer one asked for is shortened to it
 * @param statusRetention how long a message's status stays readable after it left its queue
 * @param defaultLease how long a pulled message stays invisible to other readers when the reader
 *     names no time (the visibility timeout)
 * @param maxLease the longest lease a reader may ask for
 * @param maxWait the longest a long-poll may wait for a message
 */
public record DeliveryPolicy(
        Map<Category, Duration> defaultTtl,
        Map<Category, Duration> maxTtl,
        Duration statusRetention,
        Duration defaultLease,
        Duration maxLease,
        Duration maxWait) {

    /** A one-time code is typed within minutes or not at all; a stale code only confuses. */
    public static final Duration DEFAULT_AUTHENTICATION_TTL = Duration.ofMinutes(10);
    /** A balance or a gate change is still worth knowing the same day, rarely later. */
    public static final Duration DEFAULT_TRANSACTIONAL_TTL = Duration.ofHours(24);
    /** An offer usually runs a week; past that it is noise. Also the longest any message lives. */
    public static final Duration DEFAULT_MARKETING_TTL = Duration.ofDays(7);
    /** Even a sender that asks for longer: a code older than an hour is a risk, not a help. */
    public static final Duration MAX_AUTHENTICATION_TTL = Duration.ofHours(1);
    /**
     * The longest any message lives: a notification a week old is rarely worth a person's
     * attention, and it bounds how long a queue holds anything. Our choice; SPEC sets no limit.
     */
    public static final Duration MAX_TTL = Duration.ofDays(7);
    /** The shortest default or maximum an operator may configure: shorter cannot survive a phone's doze. */
    public static final Duration MIN_CONFIGURABLE_TTL = Duration.ofMinutes(1);
    /** A week: long enough for a business's reconciliation of yesterday's and last weekend's sends. */
    public static final Duration DEFAULT_STATUS_RETENTION = Duration.ofDays(7);
    /** Time for an app to show a notification and answer, short enough that a crashed reader's messages come back soon. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** A reader that needs longer than this has lost the message; giving it back is kinder. */
    public static final Duration MAX_LEASE = Duration.ofHours(12);
    /** Under the 60 s idle timeouts of most proxies and load balancers. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    public static final DeliveryPolicy DEFAULTS = new DeliveryPolicy(
            Map.of(Category.AUTHENTICATION, DEFAULT_AUTHENTICATION_TTL,
                    Category.TRANSACTIONAL, DEFAULT_TRANSACTIONAL_TTL,
                    Category.MARKETING, DEFAULT_MARKETING_TTL),
            Map.of(Category.AUTHENTICATION, MAX_AUTHENTICATION_TTL,
                    Category.TRANSACTIONAL, MAX_TTL,
                    Category.MARKETING, MAX_TTL),
            DEFAULT_STATUS_RETENTION, DEFAULT_LEASE, MAX_LEASE, MAX_WAIT);

    public DeliveryPolicy {
        defaultTtl = complete(defaultTtl, "default time to live");
        maxTtl = complete(maxTtl, "maximum time to live");
        for (Category category : Category.values()) {
            Duration max = maxTtl.get(category);
            if (max.compareTo(MIN_CONFIGURABLE_TTL) < 0 || max.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("the maximum time to live of " + category + " must be between "
                        + MIN_CONFIGURABLE_TTL + " and " + MAX_TTL);
            }
            Duration ttl = defaultTtl.get(category);
            if (ttl.compareTo(MIN_CONFIGURABLE_TTL) < 0 || ttl.compareTo(max) > 0) {
                throw new IllegalArgumentException("the default time to live of " + category + " must be between "
                        + MIN_CONFIGURABLE_TTL + " and its maximum " + max);
            }
        }
        requirePositive(statusRetention, "status retention");
        requirePositive(defaultLease, "lease");
        requirePositive(maxLease, "maximum lease");
        Objects.requireNonNull(maxWait);
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the longest wait must not be negative");
        }
        if (defaultLease.compareTo(maxLease) > 0) {
            throw new IllegalArgumentException("the default lease must not exceed the maximum lease");
        }
    }

    /**
     * The time to live, in seconds, of a message of this (effective) category whose sender asked
     * for {@code requestedSeconds} (0: none): the category's default, and never above its maximum.
     */
    public int ttlSeconds(Category category, int requestedSeconds) {
        long max = maxTtl.get(category).toSeconds();
        long ttl = requestedSeconds <= 0 ? defaultTtl.get(category).toSeconds() : requestedSeconds;
        return (int) Math.min(ttl, max);
    }

    /** A reader's requested lease, or the default, within the bounds. */
    public Duration lease(Duration requested) {
        if (requested == null || requested.isZero() || requested.isNegative()) {
            return defaultLease;
        }
        return requested.compareTo(maxLease) > 0 ? maxLease : requested;
    }

    private static Map<Category, Duration> complete(Map<Category, Duration> values, String what) {
        Map<Category, Duration> copy = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            Duration value = values.get(category);
            if (value == null) {
                throw new IllegalArgumentException("a " + what + " is needed for " + category);
            }
            copy.put(category, value);
        }
        return Map.copyOf(copy);
    }

    private static void requirePositive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive");
        }
    }
}
