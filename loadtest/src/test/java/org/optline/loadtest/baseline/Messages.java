package org.optline.loadtest.baseline;

import java.util.ArrayList;
import java.util.List;
import org.optline.proto.v1.Category;
import org.optline.proto.v1.Message;

/** Messages for the tests: numbered client ids, alternating declared categories. */
final class Messages {
    private Messages() {}

    static List<Message> batch(String prefix, int count) {
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(Message.newBuilder()
                    .setClientMessageId(prefix + "-" + i)
                    .setRecipient("+14155550123")
                    .setDeclaredCategory(i % 2 == 0 ? Category.TRANSACTIONAL : Category.AUTHENTICATION)
                    .setText("Your balance is $12.34")
                    .build());
        }
        return messages;
    }
}
