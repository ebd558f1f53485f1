/** Time read from a movable clock: {@link org.optline.core.time.EpochNanos}. */
package org.optline.core.time;
