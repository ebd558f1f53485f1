package org.optline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.optline.core.delivery.DeliveryListener;
import org.optline.core.storage.StoreExecutor;
import org.optline.core.storage.memory.InMemoryWebhooks;
import org.optline.core.testing.MutableClock;

/** A business's webhook as the business manages it: rotations that race, and how many secrets sign. */
class WebhookServiceTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryWebhooks webhooks = new InMemoryWebhooks();
    private final StoreExecutor executor = new StoreExecutor(Runnable::run);

    private WebhookService service(WebhookStore store) {
        WebhookDispatcher dispatcher = new WebhookDispatcher(store, (registration, events) -> new CompletableFuture<>(),
                executor, clock, WebhookPolicy.DEFAULTS, DeliveryListener.NONE, () -> 0.5);
        return new WebhookService(store, dispatcher, executor, clock, WebhookPolicy.DEFAULTS);
    }

    private void registered() {
        webhooks.register(new WebhookRegistration("bank", URI.create("http://127.0.0.1:1/hook"),
                List.of(new WebhookSecret("sec_first", "whsec_first", clock.instant(), null)), clock.instant())).join();
    }

    private List<String> signing() {
        return webhooks.registration("bank").join().orElseThrow().signingSecrets(clock.instant()).stream()
                .map(WebhookSecret::secret).toList();
    }

    /**
     * The store, except that a read of a registration answers only once a second read came: two
     * read-modify-writes of the same registration would both see what was there before either.
     */
    private WebhookStore readsMeetInTheMiddle() {
        CompletableFuture<Void> secondRead = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        return (WebhookStore) Proxy.newProxyInstance(WebhookStore.class.getClassLoader(),
                new Class<?>[] {WebhookStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(webhooks, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("registration")) {
                        return result;
                    }
                    if (reads.incrementAndGet() == 2) {
                        secondRead.complete(null);
                    }
                    CompletableFuture<?> read = (CompletableFuture<?>) result;
                    return secondRead.thenCompose(ok -> read);
                });
    }

    @Test
    void twoRotationsAtOnceAreBothKept() {
        registered();
        WebhookService service = service(readsMeetInTheMiddle());

        CompletableFuture<Optional<WebhookRegistration>> first = service.rotateSecret("bank");
        CompletableFuture<Optional<WebhookRegistration>> second = service.rotateSecret("bank");

        String firstNew = first.join().orElseThrow().secrets().get(0).secret();
        String secondNew = second.join().orElseThrow().secrets().get(0).secret();
        assertThat(signing()).as("the second rotation saw the first one's secret").containsExactly(secondNew, firstNew);
    }

    @Test
    void twoSecretsSignAtMostHoweverOftenTheSecretIsRotated() {
        registered();
        WebhookService service = service(webhooks);

        String first = service.rotateSecret("bank").join().orElseThrow().secrets().get(0).secret();
        clock.advance(Duration.ofHours(1));
        String second = service.rotateSecret("bank").join().orElseThrow().secrets().get(0).secret();

        assertThat(signing()).as("the secret rotated out first stops signing").containsExactly(second, first);
        clock.advance(WebhookPolicy.DEFAULT_SECRET_OVERLAP);
        assertThat(signing()).containsExactly(second);
    }

    @Test
    void aChangeOfUrlKeepsTheSecrets() {
        registered();
        WebhookService service = service(webhooks);

        service.register("bank", "https://hooks.example.com/optline").join();

        WebhookRegistration now = webhooks.registration("bank").join().orElseThrow();
        assertThat(now.url()).hasToString("https://hooks.example.com/optline");
        assertThat(signing()).containsExactly("whsec_first");
    }
}
