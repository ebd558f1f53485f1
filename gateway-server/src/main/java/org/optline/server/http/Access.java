package org.optline.server.http;

/** The credential a route needs; every route declares one. */
enum Access {
    /** Open to anyone, and served even while the node drains: health, metrics. */
    NONE,
    /** A business's API key; the endpoint acts for that business only. */
    BUSINESS,
    /** The platform credential (the recipient's app); a business key is refused with 403. */
    PLATFORM
}
