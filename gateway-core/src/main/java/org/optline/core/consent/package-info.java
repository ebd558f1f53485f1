/**
 * Who said yes to what. Start at {@link org.optline.core.consent.ConsentService} (what the
 * transports call), {@link org.optline.core.consent.ConsentStore} (what an engine keeps) and
 * {@link org.optline.core.consent.ConsentChange}; {@link org.optline.core.consent.CachedConsentStore}
 * puts the bounded cache in front of any store.
 */
package org.optline.core.consent;
