package org.optline.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.optline.core.campaign.Campaign;
import org.optline.core.campaign.CampaignListener;
import org.optline.core.campaign.CampaignOutcome;
import org.optline.core.campaign.CampaignState;
import org.optline.core.campaign.Counts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign scheduler's reports, as log lines (a campaign's state changes, with its id and its
 * business, never a number or a text) and as {@code optline.campaign.outcomes}, counted by outcome.
 */
public final class CampaignMetrics implements CampaignListener {
    private static final Logger log = LoggerFactory.getLogger(CampaignMetrics.class);
    /** A store that fails fails every tick: one warning per this many milliseconds is enough. */
    private static final long FAILURE_LOG_INTERVAL_MS = 10_000;

    private final Map<CampaignOutcome, Counter> outcomes = new EnumMap<>(CampaignOutcome.class);
    private final AtomicLong lastFailureLogged = new AtomicLong();

    public CampaignMetrics(MeterRegistry registry) {
        for (CampaignOutcome outcome : CampaignOutcome.values()) {
            outcomes.put(outcome, Counter.builder("optline.campaign.outcomes")
                    .description("Campaign members by what happened to them (admission outcomes and campaign events)")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    @Override
    public void onStateChanged(Campaign campaign, CampaignState from) {
        log.info("campaign {} of {}: {} -> {} (audience {}, sent {}, remaining {})", campaign.id(),
                campaign.businessId(), from, campaign.state(), campaign.audience().recipients(),
                campaign.progress().counts().sent(), campaign.remaining());
    }

    @Override
    public void onStepFailed(String campaignId, Throwable failure) {
        long now = System.currentTimeMillis();
        long last = lastFailureLogged.get();
        if (now - last >= FAILURE_LOG_INTERVAL_MS && lastFailureLogged.compareAndSet(last, now)) {
            log.warn("a step of campaign {} failed; it is tried again (further failures for 10 s not logged)",
                    campaignId, failure);
        }
    }

    @Override
    public void onSent(Campaign campaign, Counts happened) {
        happened.asMap().forEach((outcome, n) -> outcomes.get(outcome).increment(n));
    }
}
