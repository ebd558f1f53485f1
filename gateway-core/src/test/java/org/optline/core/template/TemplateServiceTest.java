package org.optline.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.classify.Classifier;
import org.optline.core.message.Category;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryTemplateStore;
import org.optline.core.testing.MutableClock;

/** Registration reviewed by the classifier, versions, deletion, and the configuration's read-only templates. */
class TemplateServiceTest {
    private static final String BANK = "acme-bank";
    private static final TemplateReview REVIEW = new TemplateReview(new Classifier());

    private final MutableClock clock = new MutableClock();
    private final InMemoryTemplateStore store = new InMemoryTemplateStore();
    private final Business bank = new Business(BANK, List.of(Credential.ofSecret("k")), 100, Tier.UNLIMITED,
            Quality.GREEN, Map.of("balance_alert",
            new Template("balance_alert", Category.TRANSACTIONAL, "Your balance is {{1}} on {{2}}.")));
    private final TemplateRegistry registry = TemplateRegistry.load(List.of(bank), List.of(), REVIEW, clock.instant());
    private final TemplateService service = new TemplateService(registry, store, REVIEW,
            new StoreExecutor(Runnable::run), clock, 1_600);

    private TemplateService.Changed register(String name, Category category, String text) {
        return service.register(BANK, name, category, text).join();
    }

    private RegisteredTemplate done(TemplateService.Changed changed) {
        assertThat(changed).isInstanceOf(TemplateService.Changed.Done.class);
        return ((TemplateService.Changed.Done) changed).template();
    }

    @Test
    void anAlertIsRegisteredAsDeclaredAndIsInEffectAtOnce() {
        RegisteredTemplate shipped = done(register("order_shipped", Category.TRANSACTIONAL,
                "Hi {{1}}, your order {{2}} has shipped and will arrive on {{3}}."));

        assertThat(shipped.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(shipped.reclassified()).isFalse();
        assertThat(shipped.review()).isEmpty();
        assertThat(shipped.version()).isEqualTo(1);
        assertThat(registry.find(bank, "order_shipped")).map(Template::parameterCount).contains(3);
        assertThat(store.all().join()).containsExactly(shipped);
    }

    @Test
    void aTransactionalTemplateThatSellsIsRegisteredAsMarketingAndSaysWhy() {
        RegisteredTemplate cart = done(register("cart_reminder", Category.TRANSACTIONAL,
                "Hi {{1}}, you left items in your cart! Complete your purchase today and save {{2}}."));

        assertThat(cart.category()).isEqualTo(Category.MARKETING);
        assertThat(cart.declared()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(cart.reclassified()).isTrue();
        assertThat(cart.review()).startsWith("registered as MARKETING: the text reads as marketing: selling words:");
        assertThat(registry.find(bank, "cart_reminder")).map(Template::category).contains(Category.MARKETING);
    }

    @Test
    void aPhishingTemplateIsRefusedWithItsReasonAndNotRegistered() {
        TemplateService.Changed refused = register("parcel_hold", Category.TRANSACTIONAL,
                "Your parcel is on hold. Pay the {{1}} customs fee at http://usps-redelivery-help.com/track");

        assertThat(refused).isInstanceOf(TemplateService.Changed.RefusedAsSpam.class);
        assertThat(((TemplateService.Changed.RefusedAsSpam) refused).reason())
                .startsWith("the text reads as spam:").contains("look-alike domain \"usps-redelivery-help.com\"");
        assertThat(registry.find(bank, "parcel_hold")).isEmpty();
        assertThat(store.all().join()).isEmpty();
    }

    @Test
    void theReviewReadsTheWordingWithoutThePlaceholders() {
        assertThat(TemplateReview.wording("Your code is {{1}}. It expires in {{2}} minutes."))
                .isEqualTo("Your code is  . It expires in   minutes.");
        assertThat(done(register("login_code", Category.AUTHENTICATION, "Your login code is {{1}}.")).category())
                .isEqualTo(Category.AUTHENTICATION);
    }

    @Test
    void aNewVersionIsReviewedAgainAndReplacesTheOld() {
        register("news", Category.TRANSACTIONAL, "Your statement for {{1}} is ready.");

        RegisteredTemplate second = done(service.newVersion(BANK, "news", Category.TRANSACTIONAL,
                "Summer sale {{1}}: 30% off everything this weekend only. Shop now!").join());

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.category()).isEqualTo(Category.MARKETING);
        assertThat(registry.find(bank, "news")).map(Template::text).hasValueSatisfying(t -> t.startsWith("Summer"));
        assertThat(service.newVersion(BANK, "news", Category.TRANSACTIONAL, "Win a free iPhone! Claim now at bit.ly/x")
                .join()).isInstanceOf(TemplateService.Changed.RefusedAsSpam.class);
        assertThat(service.template(BANK, "news")).map(RegisteredTemplate::version).contains(2);
    }

    @Test
    void aDeletedTemplateIsGoneFromTheRegistryAndTheStore() {
        register("news", Category.TRANSACTIONAL, "Your statement for {{1}} is ready.");

        assertThat(service.delete(BANK, "news").join()).isInstanceOf(TemplateService.Changed.Done.class);

        assertThat(registry.find(bank, "news")).isEmpty();
        assertThat(store.all().join()).isEmpty();
        assertThat(service.delete(BANK, "news").join()).isInstanceOf(TemplateService.Changed.NotFound.class);
        assertThat(service.newVersion(BANK, "news", Category.TRANSACTIONAL, "Your statement is ready.").join())
                .isInstanceOf(TemplateService.Changed.NotFound.class);
    }

    @Test
    void aNameIsRegisteredOnceAndTheConfigurationsTemplatesAreReadOnly() {
        register("news", Category.TRANSACTIONAL, "Your statement for {{1}} is ready.");

        assertThat(register("news", Category.TRANSACTIONAL, "Your statement is ready."))
                .isInstanceOf(TemplateService.Changed.AlreadyExists.class);
        assertThat(register("balance_alert", Category.TRANSACTIONAL, "Your balance is {{1}}."))
                .isInstanceOf(TemplateService.Changed.Configured.class);
        assertThat(service.delete(BANK, "balance_alert").join()).isInstanceOf(TemplateService.Changed.Configured.class);
        assertThat(service.templates(BANK)).extracting(RegisteredTemplate::name, RegisteredTemplate::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("balance_alert",
                                RegisteredTemplate.Source.CONFIGURATION),
                        org.assertj.core.groups.Tuple.tuple("news", RegisteredTemplate.Source.API));
    }

    @Test
    void invalidTemplatesSayWhatToFix() {
        assertThat(register("bad name!", Category.TRANSACTIONAL, "Hello {{1}}")).isInstanceOf(
                TemplateService.Changed.Invalid.class);
        assertThat(register("gap", Category.TRANSACTIONAL, "Hello {{1}} and {{3}}"))
                .isEqualTo(new TemplateService.Changed.Invalid("template 'gap' skips placeholder {{2}}"));
        assertThat(register("only_placeholders", Category.TRANSACTIONAL, "{{1}} {{2}}"))
                .isEqualTo(new TemplateService.Changed.Invalid(
                        "a template needs wording of its own besides its placeholders"));
        assertThat(register("no_category", null, "Hello {{1}}")).isInstanceOf(TemplateService.Changed.Invalid.class);
        assertThat(register("long", Category.TRANSACTIONAL, "x".repeat(1_601)))
                .isEqualTo(new TemplateService.Changed.Invalid("text is longer than 1600 characters"));
    }

    @Test
    void concurrentVersionsOfOneTemplateEachGetTheirOwnNumber() {
        register("news", Category.TRANSACTIONAL, "Your statement for {{1}} is ready.");
        List<CompletableFuture<TemplateService.Changed>> versions = IntStream.range(0, 20)
                .mapToObj(i -> service.newVersion(BANK, "news", Category.TRANSACTIONAL, "Statement " + i + " is ready."))
                .toList();

        assertThat(versions).extracting(v -> done(v.join()).version())
                .containsExactlyElementsOf(IntStream.rangeClosed(2, 21).boxed().toList());
    }

    @Test
    void aNodeStartsWithTheStoredTemplatesAndTheReviewedConfiguration() {
        done(register("news", Category.TRANSACTIONAL, "Your statement for {{1}} is ready."));
        Business promo = new Business("promo-shop", List.of(Credential.ofSecret("p")), 100, Tier.UNLIMITED,
                Quality.GREEN, Map.of("weekly", new Template("weekly", Category.TRANSACTIONAL,
                "Don't miss out {{1}}: upgrade to Premium today and get 2 months free!")));

        TemplateRegistry restarted = TemplateRegistry.load(List.of(bank, promo), store.all().join(), REVIEW,
                clock.instant());

        assertThat(restarted.find(bank, "news")).isPresent();
        assertThat(restarted.registered("promo-shop", "weekly").orElseThrow().category()).isEqualTo(Category.MARKETING);
    }

    @Test
    void aConfiguredTemplateThatReadsAsSpamStopsTheStart() {
        Business scam = new Business("scam-shop", List.of(Credential.ofSecret("s")), 100, Tier.UNLIMITED,
                Quality.GREEN, Map.of("prize", new Template("prize", Category.TRANSACTIONAL,
                "Congratulations {{1}}! You have won a $1000 gift card. Claim now at bit.ly/{{2}}")));

        assertThatThrownBy(() -> TemplateRegistry.load(List.of(scam), List.of(), REVIEW, clock.instant()))
                .isInstanceOf(TemplateRegistry.RefusedTemplate.class)
                .hasMessageStartingWith("the text reads as spam:");
    }
}
