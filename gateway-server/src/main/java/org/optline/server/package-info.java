/**
 * The gateway process: {@link org.optline.server.Main} reads the configuration and starts a
 * {@link org.optline.server.Gateway}, which wires the core to the HTTP and TCP listeners.
 */
package org.optline.server;
