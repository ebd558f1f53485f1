/**
 * Message templates: {@link org.optline.core.template.Template} (the text with its placeholders),
 * the {@link org.optline.core.template.TemplateService} through which a business registers, lists,
 * versions and deletes its templates, the {@link org.optline.core.template.TemplateReview} by the
 * classifier at registration, the live {@link org.optline.core.template.TemplateRegistry} admission
 * fills them from, and the {@link org.optline.core.template.TemplateStore} of the storage seam.
 */
package org.optline.core.template;
