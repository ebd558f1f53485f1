/**
 * End-to-end test support: {@link org.optline.server.testing.GatewayExtension} starts a real
 * gateway on loopback; {@link org.optline.server.testing.TestHttp} and
 * {@link org.optline.server.testing.TestTcpClient} talk to it, and
 * {@link org.optline.server.testing.RawHttp} sends the bytes a real HTTP client would refuse to.
 */
package org.optline.server.testing;
