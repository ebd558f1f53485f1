/**
 * The recipient: {@link org.optline.core.recipient.PhoneNumber}, validated and masked; and how a
 * durable engine keeps recipients at rest: {@link org.optline.core.recipient.RecipientSecret} (kept
 * outside the data directory), {@link org.optline.core.recipient.RecipientTokens} (the keyed hash in
 * keys), {@link org.optline.core.recipient.SealedNumbers} (numbers sealed under per-recipient data
 * keys from a {@link org.optline.core.recipient.RecipientKeyring}, destroyed at erasure).
 */
package org.optline.core.recipient;
