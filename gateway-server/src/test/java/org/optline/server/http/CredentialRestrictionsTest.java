package org.optline.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.optline.core.business.AddressRange;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.KeyRestrictions;
import org.optline.core.business.PlatformKey;
import org.optline.core.business.PlatformScope;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.storage.memory.InMemoryDeliveryQueues;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.CredentialUsage;
import org.optline.proto.v1.CredentialUsageList;
import org.optline.proto.v1.ErrorCode;
import org.optline.proto.v1.ServerFrame;
import org.optline.server.testing.GatewayExtension;
import org.optline.server.testing.RawHttp;
import org.optline.server.testing.TestBusinesses;

/**
 * Credentials that rotate, are scoped, are restricted to where they may be used, and whose last
 * use operators can see: a business key only on its listeners and from its addresses; the
 * platform credential with several hashes; and the time of each key's last use by key id,
 * never the key.
 */
class CredentialRestrictionsTest {
    private static final String TCP_ONLY_KEY = "olk_tcp_only";
    private static final String FROM_TWO_KEY = "olk_from_127_0_0_2";
    private static final String OLD_OPS_KEY = "olp_ops_old";
    private static final String NEW_OPS_KEY = "olp_ops_new";

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension(b -> b
            .business(new Business("tcp-only", List.of(Credential.ofSecret(TCP_ONLY_KEY)), 100, Tier.UNLIMITED,
                    Quality.GREEN, Map.of(), new KeyRestrictions(Set.of("tcp"), List.of(), Set.of(), null)))
            .business(new Business("from-two", List.of(Credential.ofSecret(FROM_TWO_KEY)), 100, Tier.UNLIMITED,
                    Quality.GREEN, Map.of(),
                    new KeyRestrictions(Set.of(), List.of(AddressRange.parse("127.0.0.2/32")), Set.of(), null)))
            .platformKey(new PlatformKey("ops", List.of(Credential.ofSecret(OLD_OPS_KEY),
                    Credential.ofSecret(NEW_OPS_KEY)), Set.of(PlatformScope.OPERATIONS))),
            new InMemoryDeliveryQueues());

    private static String status(String key) {
        return "GET /v1/messages/01a20e9d-7e76-74d6-a871-e947c2ad3052 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + key + "\r\n\r\n";
    }

    @Test
    void aKeyRestrictedToTcpIsRefusedOverHttpAndServedOverTcp() throws IOException {
        try (RawHttp http = RawHttp.connect(gateway.gateway().httpPort())) {
            assertThat(http.write(status(TCP_ONLY_KEY)).readResponse().status()).isEqualTo(401);
        }
        assertThat(authenticate("127.0.0.1", TCP_ONLY_KEY).getAuthenticated().getBusinessId()).isEqualTo("tcp-only");
    }

    @Test
    void aKeyRestrictedToAnAddressIsServedFromThereAndRefusedFromElsewhere() throws IOException {
        try (RawHttp elsewhere = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.3");
             RawHttp there = RawHttp.connect(gateway.gateway().httpPort(), "127.0.0.2")) {
            assertThat(elsewhere.write(status(FROM_TWO_KEY)).readResponse().status()).isEqualTo(401);
            assertThat(there.write(status(FROM_TWO_KEY)).readResponse().status()).as("its own message is unknown")
                    .isEqualTo(404);
        }
        assertThat(authenticate("127.0.0.3", FROM_TWO_KEY).getError().getCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(authenticate("127.0.0.2", FROM_TWO_KEY).hasAuthenticated()).isTrue();
    }

    @Test
    void bothVersionsOfARotatedPlatformKeyWorkAndOperatorsSeeWhenEachWasLastUsedButNeverAKey() {
        assertThat(gateway.http().get("/v1/operations/credentials", OLD_OPS_KEY).statusCode()).isEqualTo(200);
        gateway.clock().advance(Duration.ofMinutes(3));
        gateway.http().postJson("/v1/messages", TestBusinesses.BANK_KEY, "{\"messages\":[]}");
        HttpResponse<String> response = gateway.http().get("/v1/operations/credentials", NEW_OPS_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        CredentialUsageList list = ApiJson.parse(response.body(), CredentialUsageList.newBuilder()).build();
        String now = gateway.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(usage(list, OLD_OPS_KEY).getLastUsedAt())
                .isEqualTo(gateway.clock().instant().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.SECONDS)
                        .toString());
        assertThat(usage(list, NEW_OPS_KEY).getLastUsedAt()).isEqualTo(now);
        assertThat(usage(list, NEW_OPS_KEY).getOwner()).isEqualTo("ops");
        assertThat(usage(list, NEW_OPS_KEY).getScopesList()).containsExactly("operations");
        assertThat(usage(list, TestBusinesses.BANK_KEY).getLastUsedAt()).isEqualTo(now);
        assertThat(usage(list, TestBusinesses.BANK_KEY).getKind()).isEqualTo("business");
        assertThat(usage(list, TestBusinesses.SHOP_KEY).getLastUsedAt()).as("never used here").isEmpty();
        for (String key : List.of(OLD_OPS_KEY, NEW_OPS_KEY, TestBusinesses.BANK_KEY, TestBusinesses.PLATFORM_KEY)) {
            assertThat(response.body()).doesNotContain(key).doesNotContain(Credential.sha256Hex(key).substring(0, 16));
        }
    }

    @Test
    void aPlatformKeyWithoutTheOperationsScopeCannotReadCredentialUse() {
        assertThat(gateway.http().get("/v1/operations/credentials", TestBusinesses.CONSENTS_KEY).statusCode())
                .isEqualTo(403);
        assertThat(gateway.http().get("/v1/operations/credentials", TestBusinesses.BANK_KEY).statusCode())
                .isEqualTo(403);
    }

    private static CredentialUsage usage(CredentialUsageList list, String key) {
        String id = Credential.sha256Hex(key).substring(0, 8);
        return list.getCredentialsList().stream().filter(c -> c.getKeyId().equals(id)).findFirst().orElseThrow();
    }

    private static ServerFrame authenticate(String from, String key) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().tcpPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(key)).build()
                    .writeDelimitedTo(out);
            out.flush();
            return ServerFrame.parseDelimitedFrom(socket.getInputStream());
        }
    }
}
