/**
 * The binary TCP listener: {@link org.optline.server.tcp.TcpServerInitializer} builds each
 * connection's pipeline around {@link org.optline.server.tcp.BoundedVarint32FrameDecoder}.
 */
package org.optline.server.tcp;
