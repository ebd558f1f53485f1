package org.optline.core.campaign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.recipient.PhoneNumber;

/**
 * The client_message_id of a campaign message: derived from (campaign, recipient) alone, so a
 * resend after a crash, a resume or a repeated upload is the same message to admission, which
 * answers it as a duplicate and queues nothing. The recipient enters through a keyed hash: the id
 * is shown to the business and may be logged, and must not give the number away.
 */
final class CampaignMessageKeys {
    private static final String PREFIX = "cmp:";
    private final SecretKeySpec key;

    /** @param secret the store's own secret, stable for its lifetime */
    CampaignMessageKeys(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String clientMessageId(String campaignId, PhoneNumber recipient) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("campaign-recipient\0".getBytes(StandardCharsets.US_ASCII));
            mac.update(campaignId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(recipient.e164().getBytes(StandardCharsets.US_ASCII));
            // 128 bits: no two members of any audience collide in practice.
            return PREFIX + campaignId + ":" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
