/** Message status for the business that sent it: {@link org.optline.core.status.MessageStatusService}. */
package org.optline.core.status;
