/**
 * TLS for both listeners: {@link org.optline.server.tls.TlsContexts} makes the server context
 * from PEM files, reads them again when they change (on its own thread, {@code optline-tls-reload})
 * and puts the TLS handler first in each connection's pipeline; {@code TlsEvents} counts and
 * quietly closes failed handshakes.
 */
package org.optline.server.tls;
