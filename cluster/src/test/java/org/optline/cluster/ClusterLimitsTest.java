package org.optline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.testing.MutableClock;

/**
 * The limits of SPEC section 3 across three nodes, and the bound each holds, on a clock that does
 * not move (so that no token is refilled and no window slides while the test counts):
 *
 * <ul>
 *   <li>throughput: each node holds its share of a business's limit (the limit over the live
 *       nodes, rounded up), so the cluster takes at most the limit plus one second's worth;</li>
 *   <li>marketing caps and duplicate content: decided by the owner of the recipient's partition,
 *       over every node's messages, in Kafka's order: exact;</li>
 *   <li>tier: counted by each node for what it admits: at most the tier on each node, so at most
 *       the tier times the number of nodes for the cluster.</li>
 * </ul>
 */
class ClusterLimitsTest {
    @TempDir
    static Path directory;
    private static final MutableClock clock = new MutableClock();
    private static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        LocalKafka kafka = SharedKafka.get();
        String prefix = SharedKafka.prefix("limits");
        for (int i = 0; i < 3; i++) {
            nodes.add(Node.start(kafka.bootstrapServers(), prefix, directory.resolve("node-" + i), clock));
        }
        ClusterEndToEndTest.awaitBalanced(nodes, 6);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    void theThroughputLimitHoldsForTheClusterEachNodeTakingItsShare() {
        String to = ClusterEndToEndTest.recipient(4_000);
        ClusterEndToEndTest.optIn(nodes, List.of(to), Node.SLOW, "TRANSACTIONAL_CLASS");

        int accepted = 0;
        for (int n = 0; n < nodes.size(); n++) {
            int here = 0;
            for (int i = 0; i < Node.SLOW_THROUGHPUT; i++) {
                String reason = Node.reason(nodes.get(n).submit(Node.SLOW_KEY, "rate-" + n + "-" + i, to,
                        "TRANSACTIONAL", "Your parcel was delivered").body());
                assertThat(reason).isIn("ACCEPTED", "RATE_LIMITED");
                here += reason.equals("ACCEPTED") ? 1 : 0;
            }
            assertThat(here).as("node %d's share of 30/s over 3 nodes", n).isEqualTo(10);
            accepted += here;
        }
        assertThat(accepted).as("the limit's one second's worth, for the whole cluster, plus at most one per"
                + " node for the rounding").isLessThanOrEqualTo(Node.SLOW_THROUGHPUT + nodes.size() - 1);
    }

    @Test
    void marketingCapsAndDuplicateContentAreExactAcrossNodes() {
        String capped = ClusterEndToEndTest.recipient(4_100);
        String repeated = ClusterEndToEndTest.recipient(4_101);
        ClusterEndToEndTest.optIn(nodes, List.of(capped, repeated), Node.BANK, "MARKETING_CLASS");

        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reasons.add(Node.reason(nodes.get(i % 3).submit(Node.BANK_KEY, "offer-" + i, capped, "MARKETING",
                    "Offer number " + i + ": 20% off").body()));
        }
        assertThat(reasons).as("two offers a day from one business, whichever nodes they came through")
                .containsExactly("ACCEPTED", "ACCEPTED", "FREQUENCY_CAPPED", "FREQUENCY_CAPPED", "FREQUENCY_CAPPED",
                        "FREQUENCY_CAPPED");

        assertThat(Node.reason(nodes.get(0).submit(Node.BANK_KEY, "same-text-1", repeated, "MARKETING",
                "Spring sale: 20% off").body())).isEqualTo("ACCEPTED");
        assertThat(Node.reason(nodes.get(1).submit(Node.BANK_KEY, "same-text-2", repeated, "MARKETING",
                "Spring sale: 20% off").body())).as("the same text, on another node").isEqualTo("DUPLICATE_CONTENT");
    }

    @Test
    void theTierIsCountedPerNodeSoTheClusterReachesAtMostTheTierTimesTheNodes() {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < Node.SMALL_TIER * nodes.size() + 1; i++) {
            recipients.add(ClusterEndToEndTest.recipient(4_200 + i));
        }
        ClusterEndToEndTest.optIn(nodes, recipients, Node.SMALL, "TRANSACTIONAL_CLASS");

        int accepted = 0;
        for (int n = 0; n < nodes.size(); n++) {
            List<String> mine = recipients.subList(n * Node.SMALL_TIER, (n + 1) * Node.SMALL_TIER);
            List<String> ids = mine.stream().map(r -> "tier-" + r).toList();
            List<String> reasons = nodes.get(n).submitBatch(Node.SMALL_KEY, ids, mine, "TRANSACTIONAL", "Your code is ready");
            assertThat(reasons).as("node %d: a tier of new recipients", n).containsOnly("ACCEPTED").hasSize(Node.SMALL_TIER);
            accepted += reasons.size();
        }
        String oneMore = recipients.get(recipients.size() - 1);
        for (Node node : nodes) {
            assertThat(Node.reason(node.submit(Node.SMALL_KEY, "tier-more-" + node.engine.nodeId(), oneMore,
                    "TRANSACTIONAL", "Your code is ready").body())).isEqualTo("TIER_LIMIT_REACHED");
        }
        assertThat(accepted).as("the cluster's bound: the tier on each node").isEqualTo(Node.SMALL_TIER * nodes.size());
    }
}
