package org.optline.core.classify;

/**
 * A fact about a text that the model weighs alongside its words: the shape of its links, the
 * kind of numbers it asks the reader to call or text, and the wording scams rely on. Each has
 * its own weight per label and its own words for the evidence a business reads.
 */
enum Signal {
    LINK("a link"),
    LINK_WITHOUT_SCHEME("a link written without https://"),
    SEVERAL_LINKS("several links"),
    SHORTENED_LINK("shortened link"),
    LOOKALIKE_DOMAIN("look-alike domain"),
    RISKY_DOMAIN_ENDING("link on a throwaway domain ending"),
    IP_ADDRESS_LINK("link to a bare IP address"),
    EMAIL_ADDRESS("an e-mail address"),
    PHONE_NUMBER("a phone number to call"),
    PREMIUM_RATE_NUMBER("premium-rate number"),
    PREMIUM_CHARGE("a per-message or per-minute charge"),
    SHORT_CODE_KEYWORD("text-a-keyword short code"),
    OPT_OUT("an opt-out instruction"),
    CODE_NEAR_CODE_WORD("a one-time code next to the word"),
    CODE_LIKE_NUMBER("a code-like number"),
    CARD_OR_ACCOUNT_ENDING("a card or account ending"),
    MONEY("an amount of money"),
    PRICE_CUT("a price cut"),
    URGENCY("urgency wording"),
    PRIZE("prize wording"),
    CREDENTIALS("a request to verify account or card details"),
    FEE_DEMAND("a demand for a fee or unpaid charge"),
    LINK_AND_URGENCY("a link with a threat or deadline"),
    LINK_AND_CREDENTIALS("a link to verify account or card details"),
    LINK_AND_PRIZE("a link to claim a prize"),
    LINK_AND_FEE("a link to pay a fee"),
    SHOUTING("mostly capital letters"),
    EXCLAMATIONS("several exclamation marks"),
    OFFICIAL_LINK("a link to a government site or to a brand's own site"),
    LINK_NOT_THE_BRANDS("a link that is not the site of the brand the text names"),
    NOT_YOU("wording about something the reader did not do"),
    NOT_YOU_AND_PHONE("a number to call about something the reader did not do"),
    NOT_YOU_AND_LINK("a link to follow about something the reader did not do"),
    DO_NOT_SHARE("a warning not to share a code");

    static final Signal[] ALL = values();

    final String description;

    Signal(String description) {
        this.description = description;
    }

    int place() {
        return ordinal();
    }
}
