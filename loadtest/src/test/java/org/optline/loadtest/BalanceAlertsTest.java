package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

class BalanceAlertsTest {
    private final Recipients recipients = new Recipients(10);

    @Test
    void everyMessageIsADeclaredTransactionalBalanceAlert() {
        Message message = new BalanceAlerts("run-1", recipients).message(42);

        assertThat(message.getDeclaredCategory()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(message.getText()).matches("Your balance is \\d{1,4}\\.\\d{2} EUR");
        assertThat(message.getRecipient()).isEqualTo(recipients.forMessage(42));
        assertThat(message.getClientMessageId()).isEqualTo("run-1-42");
    }

    @Test
    void clientMessageIdsAreUniqueWithinARunAndAcrossRuns() {
        BalanceAlerts first = new BalanceAlerts(BalanceAlerts.newRunId(), recipients);
        BalanceAlerts second = new BalanceAlerts(BalanceAlerts.newRunId(), recipients);
        Set<String> ids = new HashSet<>();
        for (long sequence = 0; sequence < 1_000; sequence++) {
            ids.add(first.message(sequence).getClientMessageId());
            ids.add(second.message(sequence).getClientMessageId());
        }
        assertThat(ids).hasSize(2_000);
    }

    @Test
    void amountsVaryAndAreNeverNegative() {
        assertThat(BalanceAlerts.text(0)).isEqualTo("Your balance is 0.00 EUR");
        assertThat(BalanceAlerts.text(1)).isEqualTo("Your balance is 79.19 EUR");
        assertThat(BalanceAlerts.text(Long.MAX_VALUE)).doesNotContain("-");
    }
}
