/**
 * End-to-end test support: {@link org.optline.server.testing.GatewayExtension} starts a real
 * gateway on loopback; {@link org.optline.server.testing.TestHttp} and
 * {@link org.optline.server.testing.TestTcpClient} talk to it.
 */
package org.optline.server.testing;
