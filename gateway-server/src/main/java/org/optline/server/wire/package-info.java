/** Conversion between the optline.v1 protobuf messages and the domain: {@link org.optline.server.wire.Wire}. */
package org.optline.server.wire;
