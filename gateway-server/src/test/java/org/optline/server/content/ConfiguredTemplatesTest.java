package org.optline.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.template.Template;
import org.optline.proto.v1.TemplateList;
import org.optline.server.Gateway;
import org.optline.server.config.ConfigException;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.TestHttp;

/** The configuration's templates are reviewed when the node starts, like those registered through the API. */
class ConfiguredTemplatesTest {
    private static final String KEY = "olk_configured_shop";

    private static Business shop(String name, String text) {
        return new Business("configured-shop", List.of(Credential.ofSecret(KEY)), 100, Tier.UNLIMITED, Quality.GREEN,
                Map.of(name, new Template(name, Category.TRANSACTIONAL, text)));
    }

    @Test
    void aConfiguredTemplateThatSellsIsRegisteredAsMarketingWithItsReason() throws InterruptedException {
        Gateway gateway = Gateway.inMemory(GatewayExtension.testConfig().business(shop("weekly",
                "Don't miss out {{1}}: upgrade to Premium today and get 2 months free!")).build(),
                InstantSource.system()).start();
        try {
            TemplateList templates = ContentApi.parse(TestHttp.on(gateway.httpPort()).get("/v1/templates", KEY),
                    TemplateList.newBuilder()).build();

            assertThat(templates.getTemplates(0).getCategory().name()).isEqualTo("MARKETING");
            assertThat(templates.getTemplates(0).getSource().name()).isEqualTo("CONFIGURATION");
            assertThat(templates.getTemplates(0).getReview()).startsWith("registered as MARKETING: the text reads as");
        } finally {
            gateway.close();
        }
    }

    @Test
    void aConfiguredTemplateThatReadsAsSpamStopsTheStartNamingItsKey() {
        assertThatThrownBy(() -> Gateway.inMemory(GatewayExtension.testConfig().business(shop("prize",
                "Congratulations {{1}}! You have won a $1000 gift card. Claim now at bit.ly/{{2}}")).build(),
                InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'business.configured-shop.template.prize.text'")
                .hasMessageContaining("reads as spam");
    }
}
