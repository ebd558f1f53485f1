/**
 * The message a business submits: {@link org.optline.core.message.Submission} and its
 * {@link org.optline.core.message.Category}.
 */
package org.optline.core.message;
