/** The Micrometer binding of the core's listeners: {@link org.optline.server.metrics.MicrometerAdmissionListener}. */
package org.optline.server.metrics;
