package org.optline.core.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.message.Outcome;
import org.optline.core.message.Reason;
import org.optline.core.message.Submission;
import org.optline.core.recipient.PhoneNumber;
import org.optline.core.template.Template;

/** What the stage tests share: a business, candidates in the state earlier stages leave them. */
final class StageFixture {
    static final String ALICE = "+12025550142";
    static final String BOB = "+12025550143";
    static final Template BALANCE = new Template("balance", Category.TRANSACTIONAL, "Your balance is {{1}}");

    private StageFixture() {}

    static Business business(String id, int perSecond, Tier tier, Quality quality) {
        return new Business(id, List.of(Credential.ofSecret("olk_" + id)), perSecond, tier, quality,
                Map.of(BALANCE.name(), BALANCE));
    }

    static Business bank() {
        return business("acme-bank", 1_000, Tier.UNLIMITED, Quality.GREEN);
    }

    /** A candidate as it enters the pipeline. */
    static Candidate fresh(String clientMessageId, String recipient, Category declared, String text) {
        return new Candidate(Submission.text(clientMessageId, recipient, declared, text));
    }

    /** A candidate as validation leaves it: recipient parsed, text known. */
    static Candidate validated(String clientMessageId, String recipient, Category category, String text) {
        Candidate candidate = fresh(clientMessageId, recipient, category, text);
        candidate.recipient = PhoneNumber.parse(recipient).orElseThrow();
        candidate.text = text;
        return candidate;
    }

    static List<Candidate> list(Candidate... candidates) {
        return new ArrayList<>(List.of(candidates));
    }

    /** The reason each candidate was decided with; null for one still undecided. */
    static List<Reason> reasons(List<Candidate> candidates) {
        List<Reason> reasons = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Outcome outcome = candidate.outcome.getNow(null);
            reasons.add(outcome == null ? null : outcome.reason());
        }
        return reasons;
    }
}
