/**
 * The admission pipeline of SPEC section 3. Start at
 * {@link org.optline.core.admission.AdmissionPipeline}; each stage is a small package-private
 * class, applied in order: throughput, validation, idempotency, classification, consent,
 * anti-spam, routing.
 */
package org.optline.core.admission;
