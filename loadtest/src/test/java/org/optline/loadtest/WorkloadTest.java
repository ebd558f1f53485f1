package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Message;

class WorkloadTest {
    private final BalanceAlerts alerts = new BalanceAlerts("run", new Recipients(100));

    @Test
    void handsOutBatchesUntilTheCountIsReached() {
        Workload workload = new Workload(250, alerts);

        assertThat(workload.claim(100)).hasSize(100);
        assertThat(workload.claim(100)).hasSize(100);
        assertThat(workload.claim(100)).hasSize(50);
        assertThat(workload.claim(100)).isEmpty();
        assertThat(workload.claimed()).isEqualTo(250);
    }

    @Test
    void handsOutNothingOnceStopped() {
        Workload workload = new Workload(250, alerts);
        workload.claim(10);

        workload.stop();

        assertThat(workload.claim(10)).isEmpty();
        assertThat(workload.claimed()).isEqualTo(10);
    }

    @Test
    void concurrentClaimsHandOutEveryMessageExactlyOnce() throws Exception {
        Workload workload = new Workload(10_000, alerts);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                claimers.add(threads.submit(() -> {
                    int claimed = 0;
                    for (List<Message> batch = workload.claim(7); !batch.isEmpty(); batch = workload.claim(7)) {
                        batch.forEach(m -> ids.add(m.getClientMessageId()));
                        claimed += batch.size();
                    }
                    return claimed;
                }));
            }
            int total = 0;
            for (Future<Integer> claimer : claimers) {
                total += claimer.get();
            }
            assertThat(total).isEqualTo(10_000);
            assertThat(ids).hasSize(10_000);
        } finally {
            threads.shutdownNow();
        }
    }
}
