package org.optline.core.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.optline.core.business.Business;

/**
 * The templates in effect, per business: what admission fills. It starts with the templates of
 * the configuration file (reviewed like any other, and read-only) and those stored through the
 * API; a change through {@link TemplateService} is in it, for every connection, as soon as it is
 * durable. A business's templates are an immutable map replaced on each change, so the reads of
 * admission take no lock.
 */
public final class TemplateRegistry implements TemplateLookup {
    private final Map<String, Map<String, RegisteredTemplate>> byBusiness = new ConcurrentHashMap<>();

    private TemplateRegistry() {}

    /** A registry of the configuration's templates only, as configured, without a review: for tests and benchmarks. */
    public static TemplateRegistry configured(Collection<Business> businesses, Instant at) {
        TemplateRegistry registry = new TemplateRegistry();
        for (Business business : businesses) {
            for (Template template : business.templates().values()) {
                registry.put(new RegisteredTemplate(business.id(), template, template.category(), 1, "", at,
                        RegisteredTemplate.Source.CONFIGURATION));
            }
        }
        return registry;
    }

    /**
     * The registry of a node that starts: the configuration's templates, reviewed, and the stored
     * ones. A configured template shadows a stored one of the same name.
     *
     * @throws RefusedTemplate when a configured template reads as spam: the node must not start with it
     */
    public static TemplateRegistry load(Collection<Business> businesses, List<RegisteredTemplate> stored,
                                        TemplateReview review, Instant at) {
        TemplateRegistry registry = new TemplateRegistry();
        for (RegisteredTemplate template : stored) {
            registry.put(template);
        }
        for (Business business : businesses) {
            for (Template template : business.templates().values()) {
                TemplateReview.Decision decision = review.review(template.category(), template.text());
                if (decision instanceof TemplateReview.Decision.Refused refused) {
                    throw new RefusedTemplate(business.id(), template.name(), refused.reason());
                }
                TemplateReview.Decision.Registered registered = (TemplateReview.Decision.Registered) decision;
                registry.put(new RegisteredTemplate(business.id(),
                        new Template(template.name(), registered.category(), template.text()), template.category(), 1,
                        registered.reason(), at, RegisteredTemplate.Source.CONFIGURATION));
            }
        }
        return registry;
    }

    /** A configured template whose review refused it. */
    public static final class RefusedTemplate extends IllegalArgumentException {
        private final String businessId;
        private final String name;

        RefusedTemplate(String businessId, String name, String reason) {
            super(reason);
            this.businessId = businessId;
            this.name = name;
        }

        public String businessId() {
            return businessId;
        }

        public String name() {
            return name;
        }
    }

    /** The template admission fills for this business under this name. */
    @Override
    public Optional<Template> find(Business business, String name) {
        RegisteredTemplate registered = templates(business.id()).get(name);
        return registered == null ? Optional.empty() : Optional.of(registered.template());
    }

    /** The business's registered template of that name. */
    public Optional<RegisteredTemplate> registered(String businessId, String name) {
        return Optional.ofNullable(templates(businessId).get(name));
    }

    /** The business's templates, by name. */
    public List<RegisteredTemplate> list(String businessId) {
        List<RegisteredTemplate> all = new ArrayList<>(templates(businessId).values());
        all.sort(Comparator.comparing(RegisteredTemplate::name));
        return all;
    }

    int count(String businessId) {
        return templates(businessId).size();
    }

    private Map<String, RegisteredTemplate> templates(String businessId) {
        return byBusiness.getOrDefault(businessId, Map.of());
    }

    /** Puts a template in effect; one writer per business at a time (the service serialises them). */
    void put(RegisteredTemplate template) {
        byBusiness.compute(template.businessId(), (id, current) -> {
            Map<String, RegisteredTemplate> next = new HashMap<>(current == null ? Map.of() : current);
            RegisteredTemplate present = next.get(template.name());
            if (present != null && present.source() == RegisteredTemplate.Source.CONFIGURATION
                    && template.source() == RegisteredTemplate.Source.API) {
                return current;
            }
            if (present != null && present.source() == RegisteredTemplate.Source.API
                    && template.source() == RegisteredTemplate.Source.API && present.version() > template.version()) {
                // A later version is in effect already (told by the store before this node's own answer).
                return current;
            }
            next.put(template.name(), template);
            return Map.copyOf(next);
        });
    }

    void remove(String businessId, String name) {
        byBusiness.computeIfPresent(businessId, (id, current) -> {
            Map<String, RegisteredTemplate> next = new HashMap<>(current);
            next.remove(name);
            return Map.copyOf(next);
        });
    }
}
