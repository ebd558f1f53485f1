package org.optline.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optline.core.message.Category;

/** A report's buckets: a short campaign by the second, a long one in buckets that keep the report small. */
class CampaignReportTest {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Campaign CAMPAIGN = new Campaign("c", "bank", "Spring", null, "Sale", Category.MARKETING, T0,
            null, null, 10, QuietHours.NONE, CampaignState.COMPLETED, AudienceSummary.EMPTY, Progress.NONE);

    private static SeriesPoint second(long offset, long accepted) {
        return new SeriesPoint(T0.plusSeconds(offset), Counts.ZERO.plus(CampaignOutcome.ACCEPTED, accepted));
    }

    @Test
    void aShortCampaignIsReportedBySecond() {
        CampaignService.Report report = CampaignService.report(CAMPAIGN, List.of(second(0, 3), second(1, 5), second(7, 1)));

        assertThat(report.bucketSeconds()).isEqualTo(1);
        assertThat(report.buckets()).extracting(p -> p.counts().get(CampaignOutcome.ACCEPTED)).containsExactly(3L, 5L, 1L);
    }

    @Test
    void aTwoHourCampaignIsSummedIntoBucketsThatKeepEveryCount() {
        List<SeriesPoint> seconds = new ArrayList<>();
        for (int s = 0; s < 7_200; s++) {
            seconds.add(second(s, 2));
        }
        CampaignService.Report report = CampaignService.report(CAMPAIGN, seconds);

        assertThat(report.bucketSeconds()).isEqualTo(30);
        assertThat(report.buckets()).hasSize(240)
                .allSatisfy(bucket -> assertThat(bucket.counts().get(CampaignOutcome.ACCEPTED)).isEqualTo(60));
        assertThat(report.buckets().get(1).start()).isEqualTo(T0.plusSeconds(30));
    }
}
