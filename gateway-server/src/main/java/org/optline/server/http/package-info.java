/**
 * The HTTP/1.1 listener: {@link org.optline.server.http.HttpServerInitializer} builds each
 * connection's pipeline; its last handler routes the API (messages, consents, metrics, health).
 */
package org.optline.server.http;
