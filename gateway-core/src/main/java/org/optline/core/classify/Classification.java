package org.optline.core.classify;

import org.optline.core.message.Category;

/**
 * What the classifier decided about a text.
 *
 * @param category the effective category
 * @param spam true when the text is abusive and must be refused as REJECTED_SPAM
 * @param rule the name of the rule that decided, for the refusal's detail and for tuning
 */
public record Classification(Category category, boolean spam, String rule) {}
