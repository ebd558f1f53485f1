/** Flow control shared by the listeners: {@link org.optline.server.flow.ReadGate}. */
package org.optline.server.flow;
