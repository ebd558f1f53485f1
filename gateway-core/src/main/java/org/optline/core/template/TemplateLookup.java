package org.optline.core.template;

import java.util.Optional;
import org.optline.core.business.Business;

/** Where admission finds the template a message names. */
public interface TemplateLookup {
    /** The templates of the business's configuration only, as configured: for tests and benchmarks. */
    TemplateLookup CONFIGURED = Business::template;

    Optional<Template> find(Business business, String name);
}
