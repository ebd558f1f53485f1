/**
 * Flow control shared by the listeners: {@link org.optline.server.flow.ReadGate}, and which
 * connection failures are ordinary ({@link org.optline.server.flow.Disconnects}).
 */
package org.optline.server.flow;
