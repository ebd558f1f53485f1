/** What a message really is: {@link org.optline.core.classify.Classifier}. */
package org.optline.core.classify;
