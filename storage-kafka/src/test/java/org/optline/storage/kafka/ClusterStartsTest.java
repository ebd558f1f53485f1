package org.optline.storage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterStartsTest {
    @Test
    void threeBrokersStart() throws Exception {
        long t = System.nanoTime();
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        System.out.println("started in " + (System.nanoTime() - t) / 1_000_000 + " ms: " + cluster.bootstrapServers());
        assertThat(cluster.kit().brokers()).hasSize(3);
    }
}
