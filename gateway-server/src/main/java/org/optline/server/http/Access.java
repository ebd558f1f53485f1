package org.optline.server.http;

/** The credential a route needs; every route declares one. */
enum Access {
    /** Open to anyone, and served even while the node drains: health, metrics. */
    NONE,
    /** A business's API key; the endpoint acts for that business only. */
    BUSINESS,
    /**
     * A platform key (the recipient's app, the operator's tools) holding the scope the route
     * names; a business key, or a platform key without that scope, is refused with 403.
     */
    PLATFORM
}
