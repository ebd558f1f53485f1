/**
 * The Micrometer binding of the core's listeners: {@link org.optline.server.metrics.MicrometerAdmissionListener}
 * for admission, {@link org.optline.server.metrics.MicrometerStorageHealth} for the store's faults.
 */
package org.optline.server.metrics;
