/**
 * A bare Netty server that speaks the gateway's wire protocols and accepts every message with
 * no admission work: the yardstick the load test's figures for the gateway are divided by.
 *
 * <p>Starting points: {@link org.optline.loadtest.baseline.BaselineServer} starts and stops
 * one; the {@code baseline} command of the harness runs one as a process. A
 * {@code TcpAcknowledger} or an {@code HttpAcknowledger} answers each connection's requests;
 * {@code Acceptances} makes the ACCEPTED results; {@code Limits} holds the gateway's limits.
 */
package org.optline.loadtest.baseline;
