/**
 * Right to erasure: {@link org.optline.core.erasure.ErasureService} removes everything about a
 * recipient; {@link org.optline.core.erasure.Erasure} names the record that stays.
 */
package org.optline.core.erasure;
