package org.optline.server.wire;

import org.optline.core.recipient.PhoneNumber;

/** A recipient as the wire carries it: an E.164 string that must parse and validate. */
public final class Recipients {
    private Recipients() {}

    public static PhoneNumber recipient(String number) throws Malformed {
        return PhoneNumber.parse(number).orElseThrow(() -> new Malformed("INVALID_RECIPIENT",
                "recipient must be a valid E.164 number such as +14155550123"));
    }
}
