package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.optline.server.testing.TestBusinesses.BANK;
import static org.optline.server.testing.TestBusinesses.BANK_KEY;
import static org.optline.server.testing.TestBusinesses.CONSENTS_KEY;
import static org.optline.server.testing.TestBusinesses.ERASURE_KEY;
import static org.optline.server.testing.TestBusinesses.INBOX_KEY;
import static org.optline.server.testing.TestBusinesses.OPERATIONS_KEY;
import static org.optline.server.testing.TestBusinesses.PLATFORM_KEY;
import static org.optline.server.testing.TestBusinesses.SHOP;
import static org.optline.server.testing.TestBusinesses.SHOP_KEY;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optline.core.business.PlatformScope;
import org.optline.proto.v1.MessageResult;
import org.optline.server.testing.CampaignRequests;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.Recipients;
import org.optline.server.testing.TestHttp;

/**
 * Every route of the table, called with every kind of credential, answers the status its declared
 * access calls for: no key, a malformed header or a wrong key are 401; a business key on a
 * platform route is 403; business A on business B's message is 404, as if it did not exist; a
 * platform key of one scope is served on the routes of that scope and refused 403 on the other
 * platform routes. The rows come from the route table itself, so a route added without a sample
 * request here fails.
 */
class CredentialMatrixTest {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    /** Who calls: the Authorization header each kind of caller sends (null: none). */
    enum Caller {
        NO_KEY(null),
        MALFORMED_HEADER("Token " + BANK_KEY),
        WRONG_KEY("Bearer olk_not_a_key"),
        BUSINESS_A("Bearer " + BANK_KEY),
        BUSINESS_B("Bearer " + SHOP_KEY),
        PLATFORM("Bearer " + PLATFORM_KEY),
        PLATFORM_CONSENTS("Bearer " + CONSENTS_KEY, PlatformScope.CONSENTS),
        PLATFORM_INBOX("Bearer " + INBOX_KEY, PlatformScope.INBOX),
        PLATFORM_ERASURE("Bearer " + ERASURE_KEY, PlatformScope.ERASURE),
        PLATFORM_OPERATIONS("Bearer " + OPERATIONS_KEY, PlatformScope.OPERATIONS);

        final String authorization;
        /** The one scope of a scoped platform key; null for the other callers. */
        final PlatformScope scope;

        Caller(String authorization) {
            this(authorization, null);
        }

        Caller(String authorization, PlatformScope scope) {
            this.authorization = authorization;
            this.scope = scope;
        }
    }

    /** A request to make for one route: the path with its parameters filled, and a body (or none). */
    private record Sample(String path, String json) {}

    /**
     * A valid request for each route, made fresh per call (so that one caller's call cannot
     * change what the next one finds). Business B owns the message whose status is read.
     */
    private static final Map<String, Function<TestHttp, Sample>> SAMPLES = Map.ofEntries(
            Map.entry("GET /health/live", http -> new Sample("/health/live", null)),
            Map.entry("GET /health/ready", http -> new Sample("/health/ready", null)),
            Map.entry("GET /metrics", http -> new Sample("/metrics", null)),
            Map.entry("POST /v1/messages", http -> new Sample("/v1/messages",
                    TestHttp.message("matrix-" + Recipients.next(), Recipients.next(), "TRANSACTIONAL", "Hi"))),
            Map.entry("GET /v1/messages/{messageId}", http -> new Sample("/v1/messages/" + messageOfB(http), null)),
            Map.entry("GET /v1/messages/by-client-id/{clientMessageId}", http -> new Sample(
                    "/v1/messages/by-client-id/" + clientMessageIdOfB(http), null)),
            Map.entry("POST /v1/consent-requests", http -> new Sample("/v1/consent-requests",
                    "{\"recipient\":\"" + Recipients.next() + "\",\"consentClass\":\"MARKETING_CLASS\"}")),
            Map.entry("GET /v1/consent-requests/{recipient}", http -> new Sample(
                    "/v1/consent-requests/" + encoded(Recipients.next()), null)),
            Map.entry("PUT /v1/consents", http -> new Sample("/v1/consents", "{\"recipient\":\"" + Recipients.next()
                    + "\",\"businessId\":\"" + BANK + "\",\"action\":\"OPT_IN\",\"consentClass\":\"MARKETING_CLASS\"}")),
            Map.entry("GET /v1/consents/{recipient}", http -> new Sample(
                    "/v1/consents/" + encoded(Recipients.next()), null)),
            Map.entry("GET /v1/consents/{recipient}/events", http -> new Sample(
                    "/v1/consents/" + encoded(Recipients.next()) + "/events", null)),
            Map.entry("POST /v1/replies", http -> new Sample("/v1/replies", "{\"recipient\":\"" + Recipients.next()
                    + "\",\"businessId\":\"" + BANK + "\",\"text\":\"STOP\"}")),
            Map.entry("DELETE /v1/recipients/{recipient}", http -> new Sample(
                    "/v1/recipients/" + encoded(Recipients.next()), null)),
            Map.entry("GET /v1/inbox/{recipient}", http -> new Sample("/v1/inbox/" + encoded(Recipients.next()), null)),
            Map.entry("POST /v1/inbox/{recipient}/ack", http -> new Sample(
                    "/v1/inbox/" + encoded(Recipients.next()) + "/ack", "{\"messageIds\":[]}")),
            Map.entry("POST /v1/inbox/{recipient}/read", http -> new Sample(
                    "/v1/inbox/" + encoded(Recipients.next()) + "/read", "{\"messageIds\":[]}")),
            Map.entry("POST /v1/inbox/{recipient}/fail", http -> new Sample(
                    "/v1/inbox/" + encoded(Recipients.next()) + "/fail", "{\"messageIds\":[],\"reason\":\"x\"}")),
            Map.entry("GET /v1/inbox/{recipient}/push", http -> new Sample(
                    "/v1/inbox/" + encoded(Recipients.next()) + "/push", null)),
            Map.entry("PUT /v1/webhook", http -> new Sample("/v1/webhook", "{\"url\":\"http://127.0.0.1:9/hook\"}")),
            Map.entry("GET /v1/webhook", http -> new Sample("/v1/webhook", null)),
            Map.entry("DELETE /v1/webhook", http -> new Sample("/v1/webhook", null)),
            Map.entry("POST /v1/webhook/secrets", http -> {
                // Both businesses have a webhook to rotate, whichever of them calls.
                http.putJson("/v1/webhook", BANK_KEY, "{\"url\":\"http://127.0.0.1:9/hook\"}");
                http.putJson("/v1/webhook", SHOP_KEY, "{\"url\":\"http://127.0.0.1:9/hook\"}");
                return new Sample("/v1/webhook/secrets", "{}");
            }),
            Map.entry("GET /v1/webhook/dead-letters", http -> new Sample("/v1/webhook/dead-letters", null)),
            Map.entry("POST /v1/webhook/dead-letters/replay", http -> new Sample("/v1/webhook/dead-letters/replay",
                    "{}")),
            Map.entry("POST /v1/operations/backup", http -> new Sample("/v1/operations/backup", "{}")),
            Map.entry("GET /v1/operations/credentials", http -> new Sample("/v1/operations/credentials", null)),
            Map.entry("GET /v1/campaigns", http -> new Sample("/v1/campaigns", null)),
            Map.entry("POST /v1/campaigns", http -> new Sample("/v1/campaigns",
                    "{\"name\":\"Matrix\",\"text\":\"Spring sale\",\"pacePerSecond\":1}")),
            Map.entry("GET /v1/campaigns/{campaignId}", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "DRAFT"), null)),
            Map.entry("POST /v1/campaigns/{campaignId}/audience", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "DRAFT") + "/audience",
                    "{\"recipient\":\"" + Recipients.next() + "\"}")),
            Map.entry("POST /v1/campaigns/{campaignId}/schedule", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "UPLOADED") + "/schedule", null)),
            Map.entry("POST /v1/campaigns/{campaignId}/pause", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "RUNNING") + "/pause", null)),
            Map.entry("POST /v1/campaigns/{campaignId}/resume", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "PAUSED") + "/resume", null)),
            Map.entry("POST /v1/campaigns/{campaignId}/cancel", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "DRAFT") + "/cancel", null)),
            Map.entry("GET /v1/campaigns/{campaignId}/report", http -> new Sample(
                    "/v1/campaigns/" + campaignOfB(http, "DRAFT") + "/report", null)),
            Map.entry("GET /console", http -> new Sample("/console", null)),
            Map.entry("GET /console/{file}", http -> new Sample("/console/console.js", null)),
            Map.entry("POST /v1/templates", http -> new Sample("/v1/templates", template("matrix_"
                    + Recipients.next().substring(6)))),
            Map.entry("GET /v1/templates", http -> new Sample("/v1/templates", null)),
            Map.entry("GET /v1/templates/{name}", http -> new Sample("/v1/templates/" + templateOfBoth(http,
                    "matrix_read"), null)),
            Map.entry("PUT /v1/templates/{name}", http -> new Sample("/v1/templates/" + templateOfBoth(http,
                    "matrix_version"), template("matrix_version"))),
            Map.entry("DELETE /v1/templates/{name}", http -> new Sample("/v1/templates/" + templateOfBoth(http,
                    "matrix_delete_" + Recipients.next().substring(6)), null)),
            Map.entry("GET /v1/business", http -> new Sample("/v1/business", null)),
            Map.entry("GET /v1/business/events", http -> new Sample("/v1/business/events", null)),
            Map.entry("POST /v1/feedback", http -> {
                String recipient = Recipients.next();
                return new Sample("/v1/feedback", "{\"feedback\":[{\"messageId\":\"" + messageOfB(http, recipient)
                        + "\",\"recipient\":\"" + recipient + "\",\"kind\":\"POSITIVE\"}]}");
            }),
            Map.entry("GET /v1/recipients/{recipient}/marketing-budget", http -> new Sample(
                    "/v1/recipients/" + encoded(Recipients.next()) + "/marketing-budget", null)),
            Map.entry("GET /v1/operations/businesses/{businessId}", http -> new Sample(
                    "/v1/operations/businesses/" + BANK, null)),
            Map.entry("POST /v1/operations/businesses/{businessId}/lift-pause", http -> new Sample(
                    "/v1/operations/businesses/" + BANK + "/lift-pause", null)));

    private static List<Route> routes() {
        return HttpApi.of(gateway.gateway().context()).routes().all();
    }

    static Stream<Arguments> everyRouteAndCaller() {
        List<Arguments> rows = new ArrayList<>();
        for (Route route : routes()) {
            for (Caller caller : Caller.values()) {
                rows.add(Arguments.of(route.toString(), route.access(), route.scope(), caller));
            }
        }
        return rows.stream();
    }

    /** The status a caller gets on a route with this access. */
    private static int expected(String route, Access access, PlatformScope scope, Caller caller) {
        if (caller.scope != null) {
            // A scoped platform key is a platform key: refused like one on business routes.
            return switch (access) {
                case NONE -> 200;
                case BUSINESS -> 401;
                case PLATFORM -> caller.scope == scope ? servedToThePlatform(route) : 403;
            };
        }
        return switch (access) {
            case NONE -> 200;
            case BUSINESS -> switch (caller) {
                // A reads or changes business B's message or campaign: as if it did not exist.
                case BUSINESS_A -> route.equals("GET /v1/messages/{messageId}")
                        || route.equals("GET /v1/messages/by-client-id/{clientMessageId}")
                        || route.contains("{campaignId}")
                        ? 404 : 200;
                case BUSINESS_B -> 200;
                default -> 401;
            };
            case PLATFORM -> switch (caller) {
                case PLATFORM -> servedToThePlatform(route);
                case BUSINESS_A, BUSINESS_B -> 403;
                default -> 401;
            };
        };
    }

    /**
     * What a platform route answers a caller it lets through: 200, except that the push route is a
     * WebSocket (a plain GET is told to upgrade), and that this test's node keeps its data in
     * memory (the backup it lets the platform ask for is 409 NOT_DURABLE).
     */
    private static int servedToThePlatform(String route) {
        return switch (route) {
            case "GET /v1/inbox/{recipient}/push" -> 426;
            case "POST /v1/operations/backup" -> 409;
            default -> 200;
        };
    }

    @Test
    void everyRouteHasASampleRequestHere() {
        assertThat(routes()).extracting(Route::toString)
                .as("a new route needs a sample request in this test, and its credential in the table")
                .allMatch(SAMPLES::containsKey);
    }

    @Test
    void aRouteCannotBeDeclaredWithoutTheCredentialItNeeds() {
        assertThatNullPointerException()
                .isThrownBy(() -> Routes.builder().route(HttpMethod.GET, "/v1/new", null,
                        call -> CompletableFuture.completedFuture(null)))
                .withMessageContaining("credential");
    }

    @Test
    void aPlatformRouteCannotBeDeclaredWithoutTheScopeAKeyNeedsForIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Routes.builder().route(HttpMethod.GET, "/v1/new", Access.PLATFORM,
                        call -> CompletableFuture.completedFuture(null)))
                .withMessageContaining("scope");
    }

    @ParameterizedTest(name = "{0} as {3}")
    @MethodSource("everyRouteAndCaller")
    void everyCallerGetsWhatTheRoutesAccessCallsFor(String route, Access access, PlatformScope scope, Caller caller) {
        TestHttp http = gateway.http();
        Sample sample = SAMPLES.get(route).apply(http);
        String method = route.substring(0, route.indexOf(' '));
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(sample.path()))
                .method(method, sample.json() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(sample.json()));
        if (sample.json() != null) {
            request.header("Content-Type", "application/json");
        }
        if (caller.authorization != null) {
            request.header("Authorization", caller.authorization);
        }

        HttpResponse<String> response = TestHttp.send(request.build());

        assertThat(response.statusCode()).as("%s as %s: %s", route, caller, response.body())
                .isEqualTo(expected(route, access, scope, caller));
        if (response.statusCode() == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    @Test
    void aBusinessSeesOnlyItsOwnConsentRequests() {
        TestHttp http = gateway.http();
        String recipient = Recipients.next();
        assertThat(http.postJson("/v1/consent-requests", SHOP_KEY,
                "{\"recipient\":\"" + recipient + "\",\"consentClass\":\"MARKETING_CLASS\"}").statusCode())
                .isEqualTo(200);

        assertThat(http.get("/v1/consent-requests/" + encoded(recipient), SHOP_KEY).body()).contains("OPEN");
        assertThat(http.get("/v1/consent-requests/" + encoded(recipient), BANK_KEY).body()).doesNotContain("OPEN");
    }

    /** A template request body. */
    private static String template(String name) {
        return "{\"name\":\"" + name + "\",\"category\":\"TRANSACTIONAL\",\"text\":\"Your order {{1}} has shipped.\"}";
    }

    /** The name of a template both businesses have, whichever of them calls. */
    private static String templateOfBoth(TestHttp http, String name) {
        http.postJson("/v1/templates", BANK_KEY, template(name));
        http.postJson("/v1/templates", SHOP_KEY, template(name));
        return name;
    }

    /** A message of business B, accepted and queued, whose status only B may read. */
    private static String messageOfB(TestHttp http) {
        return messageOfB(http, Recipients.next());
    }

    private static String messageOfB(TestHttp http, String recipient) {
        http.optIn(recipient, SHOP, "TRANSACTIONAL_CLASS");
        HttpResponse<String> response = http.postJson("/v1/messages", SHOP_KEY,
                TestHttp.message("matrix-b-" + recipient, recipient, "TRANSACTIONAL", "Your order shipped"));
        MessageResult result = ApiJson.result(response);
        assertThat(result.getMessageId()).as(response.body()).isNotEmpty();
        return result.getMessageId();
    }

    /** The client_message_id of a message of business B, whose status only B may read. */
    private static String clientMessageIdOfB(TestHttp http) {
        String recipient = Recipients.next();
        http.optIn(recipient, SHOP, "TRANSACTIONAL_CLASS");
        String clientMessageId = "matrix-cid-" + recipient.substring(recipient.length() - 5);
        HttpResponse<String> response = http.postJson("/v1/messages", SHOP_KEY,
                TestHttp.message(clientMessageId, recipient, "TRANSACTIONAL", "Your order shipped"));
        assertThat(ApiJson.result(response).getMessageId()).as(response.body()).isNotEmpty();
        return clientMessageId;
    }

    /**
     * A text campaign of business B in the given stage: DRAFT (empty), UPLOADED (a DRAFT with an
     * audience), RUNNING or PAUSED. The fake clock stands still, so a running one sends nothing.
     */
    private static String campaignOfB(TestHttp http, String stage) {
        CampaignRequests shop = new CampaignRequests(http, SHOP_KEY);
        String id = shop.createText("Matrix", "Spring sale", 1).getCampaignId();
        if (stage.equals("DRAFT")) {
            return id;
        }
        shop.upload(id, "text/csv", Recipients.next() + "\n");
        if (stage.equals("UPLOADED")) {
            return id;
        }
        shop.change(id, "schedule");
        gateway.gateway().campaignScheduler().runOnce().join();
        assertThat(shop.get(id).getState()).isEqualTo(org.optline.proto.v1.Campaign.State.RUNNING);
        if (stage.equals("PAUSED")) {
            shop.change(id, "pause");
        }
        return id;
    }

    private static String encoded(String recipient) {
        return URLEncoder.encode(recipient, StandardCharsets.UTF_8);
    }
}
