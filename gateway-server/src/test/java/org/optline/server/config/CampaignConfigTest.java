package org.optline.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optline.core.business.Credential;
import org.optline.core.campaign.CampaignPolicy;

/** The campaign keys of the configuration: their defaults, their values, and a bad value named. */
class CampaignConfigTest {
    @TempDir
    Path dir;

    private Path file(String extra) throws IOException {
        return Files.writeString(dir.resolve("optline.properties"), "platform.key-sha256="
                + Credential.sha256Hex("olp_campaign_config") + "\nbusiness.acme-bank.key-sha256="
                + Credential.sha256Hex("olk_campaign_config") + "\n" + extra, StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultsKeepHalfOfEachLimitForTransactionalTraffic() throws IOException {
        GatewayConfig config = ConfigLoader.load(file(""), Map.of()).config();

        assertThat(config.campaigns()).isEqualTo(CampaignPolicy.DEFAULTS);
        assertThat(config.campaigns().throughputShare()).isEqualTo(0.5);
        assertThat(config.campaignMaxUploadSize()).isEqualTo(1024 * 1024 * 1024);
    }

    @Test
    void everyCampaignKeyIsRead() throws IOException {
        GatewayConfig config = ConfigLoader.load(file("campaigns.throughput-percent=30\n"
                + "campaigns.max-audience-rows=2000000\n"
                + "campaigns.max-upload-size=256MiB\n"), Map.of("OPTLINE_CAMPAIGNS_THROUGHPUT_PERCENT", "20")).config();

        assertThat(config.campaigns().throughputShare()).isEqualTo(0.2);
        assertThat(config.campaigns().maxAudienceRows()).isEqualTo(2_000_000);
        assertThat(config.campaignMaxUploadSize()).isEqualTo(256 * 1024 * 1024);
    }

    @Test
    void aShareOutsideOneToAHundredIsRefusedByName() throws IOException {
        Path file = file("campaigns.throughput-percent=0\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("campaigns.throughput-percent");
    }
}
