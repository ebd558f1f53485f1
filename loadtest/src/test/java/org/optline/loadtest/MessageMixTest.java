package org.optline.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageMixTest {

    @Test
    void parsesTheDefaultKinds() {
        assertThat(MessageMix.parseWeights(MessageMix.DEFAULT_KINDS)).containsOnly(
                entry(MessageKind.BALANCE, 40), entry(MessageKind.FLIGHT, 25),
                entry(MessageKind.OTP, 20), entry(MessageKind.MARKETING, 15));
    }

    @Test
    void toleratesSpacesAndUpperCaseAndLeavesUnnamedKindsOut() {
        assertThat(MessageMix.parseWeights(" OTP = 3 , balance=0")).containsOnly(
                entry(MessageKind.OTP, 3), entry(MessageKind.BALANCE, 0));
    }

    @Test
    void refusesAnUnknownKind() {
        assertThatThrownBy(() -> MessageMix.parseWeights("balance=1,sms=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mix").hasMessageContaining("unknown kind 'sms'");
    }

    @Test
    void refusesAPairWithoutAnEqualsSign() {
        assertThatThrownBy(() -> MessageMix.parseWeights("balance40"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mix").hasMessageContaining("'balance40'");
        assertThatThrownBy(() -> MessageMix.parseWeights("balance=1=2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mix");
    }

    @Test
    void refusesAWeightThatIsNotAWholeNumber() {
        assertThatThrownBy(() -> MessageMix.parseWeights("balance=lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mix").hasMessageContaining("whole number");
        assertThatThrownBy(() -> MessageMix.parseWeights("balance=1.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
    }

    @Test
    void refusesANegativeWeight() {
        assertThatThrownBy(() -> MessageMix.parseWeights("balance=-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mix").hasMessageContaining("0 to 1000000");
    }

    @Test
    void refusesAKindNamedTwice() {
        assertThatThrownBy(() -> MessageMix.parseWeights("otp=1,balance=2,OTP=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mix").hasMessageContaining("twice");
    }

    @Test
    void refusesWeightsThatAreAllZero() {
        Map<MessageKind, Integer> zeros = MessageMix.parseWeights("balance=0,otp=0");

        assertThatThrownBy(() -> new MessageMix(zeros, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mix");
        assertThatThrownBy(() -> new MessageMix(Map.of(), 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mix");
    }

    @Test
    void refusesAPercentageOutsideZeroToHundred() {
        Map<MessageKind, Integer> weights = Map.of(MessageKind.BALANCE, 1);

        assertThatThrownBy(() -> new MessageMix(weights, -0.1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--non-consented");
        assertThatThrownBy(() -> new MessageMix(weights, 0, 100.1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--invalid");
        assertThatThrownBy(() -> new MessageMix(weights, 0, 0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--duplicates");
    }

    @Test
    void refusesPercentagesAddingUpToMoreThanHundred() {
        Map<MessageKind, Integer> weights = Map.of(MessageKind.BALANCE, 1);

        assertThatThrownBy(() -> new MessageMix(weights, 50, 30, 20.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 100%");
        assertThat(new MessageMix(weights, 50, 30, 20).duplicatePercent()).isEqualTo(20);
    }

    @Test
    void describeReadsBackAsTheOptionsWouldGiveIt() {
        MessageMix mix = new MessageMix(MessageMix.parseWeights("marketing=15,balance=40,otp=0"), 2, 0.5, 1);

        assertThat(mix.describe()).isEqualTo("balance=40,marketing=15; non-consented 2%, invalid 0.5%, duplicates 1%");
        assertThat(MessageMix.balanceAlertsOnly().describe())
                .isEqualTo("balance=1; non-consented 0%, invalid 0%, duplicates 0%");
    }
}
