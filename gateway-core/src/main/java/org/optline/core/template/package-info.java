/** Registered message templates: {@link org.optline.core.template.Template}. */
package org.optline.core.template;
