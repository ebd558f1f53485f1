/** The recipient: {@link org.optline.core.recipient.PhoneNumber}, validated and masked. */
package org.optline.core.recipient;
