package org.optline.loadtest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of message a run's mix is made of. */
enum MessageKind {
    /** A bank's balance alert: TRANSACTIONAL. */
    BALANCE,
    /** An airline's flight change: TRANSACTIONAL. */
    FLIGHT,
    /** A one-time code: AUTHENTICATION. */
    OTP,
    /** An offer, declared MARKETING, to a recipient who opted in to marketing. */
    MARKETING;

    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageKind named(String name) {
        for (MessageKind kind : values()) {
            if (kind.optionName().equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--mix: unknown kind '" + name + "'; the kinds are "
                + Arrays.stream(values()).map(MessageKind::optionName).collect(Collectors.joining(", ")));
    }
}
