/**
 * The SRE harness: sends a run of transactional messages to a running gateway over TCP or
 * HTTP and reports what came back, by reason, with the rate and the elapsed time.
 *
 * <p>Starting points: {@link org.optline.loadtest.LoadTest} is the command; a {@code RunPlan}
 * holds its checked settings; a {@code Workload} hands out the messages; a {@code TcpDriver}
 * or an {@code HttpDriver} sends them and counts the answers in a {@code Tally}; a
 * {@code Report} turns the counts into what the operator reads. A {@code ConsentSeeder}
 * opts the recipients in first when a platform key is given.
 */
package org.optline.loadtest;
