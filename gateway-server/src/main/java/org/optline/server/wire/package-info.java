/**
 * Where protobuf meets the domain, one class per feature: {@link org.optline.server.wire.MessageWire},
 * {@link org.optline.server.wire.ConsentWire}, {@link org.optline.server.wire.InboxWire}. Every
 * transport converts here and nowhere else; a field that cannot become a domain value is
 * {@link org.optline.server.wire.Malformed}.
 */
package org.optline.server.wire;
