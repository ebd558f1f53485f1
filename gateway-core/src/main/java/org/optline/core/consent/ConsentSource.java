package org.optline.core.consent;

/** Where a consent change came from, kept in the audit trail. */
public enum ConsentSource {
    APP,
    WEB,
    KEYWORD,
    API,
    IMPORT
}
