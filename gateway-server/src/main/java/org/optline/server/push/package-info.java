/**
 * The push channel: {@link org.optline.server.push.PushSubscriptionHandler} adapts a WebSocket to
 * an inbox subscription, on the connection's event loop.
 */
package org.optline.server.push;
