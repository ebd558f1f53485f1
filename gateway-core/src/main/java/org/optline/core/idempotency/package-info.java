/** Idempotent retries: {@link org.optline.core.idempotency.IdempotencyWindow}. */
package org.optline.core.idempotency;
