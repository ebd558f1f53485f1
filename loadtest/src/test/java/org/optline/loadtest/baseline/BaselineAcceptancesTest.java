package org.optline.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;
import org.optline.proto.v1.MessageResult;
import org.optline.proto.v1.Reason;

class BaselineAcceptancesTest {
    private static final Message MESSAGE = Message.newBuilder().setClientMessageId("c-1")
            .setDeclaredCategory(Category.MARKETING).build();

    @Test
    void aResultEchoesTheClientIdAndDeclaredCategoryWithAFreshUuidV7ShapedId() {
        MessageResult result = new Acceptances(1).accept(MESSAGE);

        assertThat(result.getReason()).isEqualTo(Reason.ACCEPTED);
        assertThat(result.getClientMessageId()).isEqualTo("c-1");
        assertThat(result.getCategory()).isEqualTo(Category.MARKETING);
        UUID id = UUID.fromString(result.getMessageId());
        assertThat(result.getMessageId()).hasSize(36);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void idsDifferWithinAConnectionAndBetweenConnections() {
        Acceptances first = new Acceptances(1);
        Acceptances second = new Acceptances(2);

        assertThat(first.accept(MESSAGE).getMessageId()).isNotEqualTo(first.accept(MESSAGE).getMessageId());
        assertThat(new Acceptances(1).accept(MESSAGE).getMessageId().substring(19))
                .isNotEqualTo(second.accept(MESSAGE).getMessageId().substring(19));
    }

    @Test
    void aCategoryThisSchemaDoesNotKnowIsEchoedByNumber() {
        Message future = MESSAGE.toBuilder().setDeclaredCategoryValue(9).build();

        assertThat(new Acceptances(1).accept(future).getCategoryValue()).isEqualTo(9);
    }
}
