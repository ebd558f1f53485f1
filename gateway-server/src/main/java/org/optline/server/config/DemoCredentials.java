package org.optline.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.optline.core.business.Business;
import org.optline.core.business.Credential;
import org.optline.core.business.Quality;
import org.optline.core.business.Tier;
import org.optline.core.message.Category;
import org.optline.core.template.Template;

/**
 * The local demo business that a node with no configured business makes on its first start,
 * so that the README's tour works on a fresh checkout. Its keys are random, written once to
 * {@code <data dir>/demo-credentials.env} (owner-only), and reused on later starts.
 */
public record DemoCredentials(String businessKey, String platformKey, Path file, boolean created) {
    public static final String BUSINESS_ID = "demo-bank";
    public static final String FILE_NAME = "demo-credentials.env";
    /** High enough that the loadtest measures the gateway, not the demo's limit. */
    static final int THROUGHPUT = 1_000_000;

    /** Reads the demo keys from the data directory, or makes and writes new ones. */
    public static DemoCredentials loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
                String businessKey = properties.getProperty("OPTLINE_KEY");
                String platformKey = properties.getProperty("OPTLINE_PLATFORM_KEY");
                if (businessKey == null || platformKey == null) {
                    throw new ConfigException("demo.enabled", file + " lacks OPTLINE_KEY or OPTLINE_PLATFORM_KEY;"
                            + " delete it to make new demo keys");
                }
                return new DemoCredentials(businessKey.trim(), platformKey.trim(), file, false);
            }
            Files.createDirectories(dataDir);
            String businessKey = Credential.generateSecret("olk_");
            String platformKey = Credential.generateSecret("olp_");
            try {
                // Owner-only from the moment it exists, never readable by others for an instant.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the file gets the directory's default permissions.
                Files.createFile(file);
            }
            Files.writeString(file, "# Optline demo credentials, made on first start. Keep them secret.\n"
                    + "OPTLINE_KEY=" + businessKey + "\n"
                    + "OPTLINE_PLATFORM_KEY=" + platformKey + "\n", StandardCharsets.UTF_8);
            return new DemoCredentials(businessKey, platformKey, file, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** The demo business: a bank with a balance-alert template. */
    public Business business() {
        return new Business(BUSINESS_ID, List.of(Credential.ofSecret(businessKey)), THROUGHPUT,
                Tier.TIER_100K, Quality.GREEN,
                Map.of("balance_alert", new Template("balance_alert", Category.TRANSACTIONAL,
                        "Your balance is {{1}} on {{2}}.")));
    }
}
