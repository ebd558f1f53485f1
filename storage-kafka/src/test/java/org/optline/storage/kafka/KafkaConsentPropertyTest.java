package org.optline.storage.kafka;

import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.BeforeAll;
import org.optline.core.admission.ConsentPropertyTest;
import org.optline.core.idempotency.IdempotencyWindow;
import org.optline.core.limit.AntiSpamPolicy;
import org.optline.core.storage.StorageEngine;

/**
 * The consent property over the Kafka engine (one node on the shared 3-broker cluster): every
 * consent change a record Kafka acknowledged and this node read back, every accepted message an
 * append its partition's owner decided. Fewer submissions than the embedded engines carry (each
 * step is a round trip to three brokers), in longer runs, each on topics of its own.
 */
class KafkaConsentPropertyTest extends ConsentPropertyTest {
    private static KafkaTestCluster cluster;

    @BeforeAll
    static void cluster() throws Exception {
        cluster = KafkaTestCluster.shared();
    }

    @Override
    protected StoreKind kind() {
        return new StoreKind() {
            @Override
            public String name() {
                return "KAFKA";
            }

            @Override
            public int minimumSubmissions() {
                return 2_000;
            }

            @Override
            public int stepsPerRun() {
                return 600;
            }

            @Override
            public StorageEngine open(Path directory, InstantSource clock) {
                // The property rules out every limit but consent: the owner's caps too.
                AntiSpamPolicy noCaps = new AntiSpamPolicy(Integer.MAX_VALUE, Integer.MAX_VALUE,
                        AntiSpamPolicy.DEFAULT_WINDOW, AntiSpamPolicy.DEFAULT_TRACKED_RECIPIENTS);
                return KafkaStorageEngine.open(KafkaDeliveryEngineTest.settings(cluster,
                        KafkaTestCluster.freshPrefix("consent"), directory.resolve("local")), clock,
                        IdempotencyWindow.DEFAULT_WINDOW, noCaps);
            }
        };
    }
}
