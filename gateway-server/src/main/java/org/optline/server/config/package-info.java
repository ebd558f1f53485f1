/**
 * Configuration: {@link org.optline.server.config.ConfigLoader} reads the file and the
 * environment into an immutable {@link org.optline.server.config.GatewayConfig}.
 */
package org.optline.server.config;
