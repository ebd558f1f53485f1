/**
 * Submissions, the service every transport calls to send messages:
 * {@link org.optline.core.submission.SubmissionService}. Runs on the caller's thread only to hand
 * the work to admission's pool.
 */
package org.optline.core.submission;
