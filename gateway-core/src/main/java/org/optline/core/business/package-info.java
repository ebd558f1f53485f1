/**
 * Who may send: {@link org.optline.core.business.Business} and the
 * {@link org.optline.core.business.BusinessDirectory} that authenticates keys against
 * {@link org.optline.core.business.Credential} hashes.
 */
package org.optline.core.business;
