package org.optline.core.recipient;

import com.github.benmanes.caffeine.cache.Cache;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.optline.core.concurrent.Caches;

/**
 * Recipients as a store keeps them: a {@link RecipientTokens token} in keys, and where the number
 * itself is needed (to hand a message out, to send a campaign message) the number sealed with
 * AES-GCM under the recipient's data key from the {@link RecipientKeyring}. A sealed number is
 * {@code token ‖ nonce ‖ ciphertext ‖ tag}: it names the key that opens it, and the token is
 * authenticated with it, so that a sealed number cannot be moved to another recipient's records.
 *
 * <p>Once the recipient is erased ({@link #shred}) a sealed number no longer opens: {@link #open}
 * answers the recipient's {@link #standIn stand-in}, which is equal to itself and to nothing else, so a
 * store can still account for it (a contact leaving a window) without knowing the number.
 */
public final class SealedNumbers {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    /** Prefix of a stand-in: no E.164 number starts with it. */
    private static final String STAND_IN = "#";

    /**
     * Recipients come back all day, and a fresh AES-GCM encryption costs microseconds and kilobytes
     * of garbage: the sealed form of a recent recipient is kept and stored again as it is (the same
     * ciphertext under the same key, so nothing is weakened), and so is what a sealed form opens to.
     * Both are bounded, and an erased recipient is dropped from both.
     */
    public static final int DEFAULT_CACHED = 100_000;

    private final RecipientTokens tokens;
    private final RecipientKeyring keyring;
    private final Cache<PhoneNumber, byte[]> sealedRecently;
    private final Cache<ByteBuffer, PhoneNumber> openedRecently;
    private final SecureRandom random = new SecureRandom();
    /**
     * One cipher per thread, initialised afresh for each number: looking a cipher up by name costs
     * several microseconds and kilobytes, more than the encryption of a number itself.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(SealedNumbers::newCipher);

    public SealedNumbers(RecipientTokens tokens, RecipientKeyring keyring) {
        this(tokens, keyring, DEFAULT_CACHED);
    }

    public SealedNumbers(RecipientTokens tokens, RecipientKeyring keyring, int cached) {
        this.tokens = tokens;
        this.keyring = keyring;
        this.sealedRecently = Caches.onCallingThread().maximumSize(Math.max(1, cached)).build();
        this.openedRecently = Caches.onCallingThread().maximumSize(Math.max(1, cached)).build();
    }

    /** The token of a number; of a stand-in, the token it stands for. */
    public byte[] token(PhoneNumber number) {
        String e164 = number.e164();
        if (e164.startsWith(STAND_IN)) {
            return HexFormat.of().parseHex(e164, 1, e164.length());
        }
        return tokens.of(number);
    }

    /** The number sealed under its recipient's data key, which is made if there is none; never change the array. */
    public byte[] seal(PhoneNumber number) {
        return sealedRecently.get(number, this::encrypt);
    }

    /** A fresh encryption of the number, with a new nonce. */
    public byte[] encrypt(PhoneNumber number) {
        byte[] token = token(number);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyring.dataKey(token), nonce);
            cipher.updateAAD(token);
            byte[] sealed = cipher.doFinal(number.e164().getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.allocate(token.length + NONCE + sealed.length).put(token).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    /**
     * The number a sealed number holds; the recipient's stand-in when its data key was destroyed.
     *
     * @throws IllegalStateException when the sealed bytes were changed (the tag does not hold)
     */
    public PhoneNumber open(byte[] sealed) {
        return openIfKept(sealed).orElseGet(() -> standIn(tokenOf(sealed)));
    }

    /** The number a sealed number holds, or empty when the recipient's data key was destroyed. */
    public Optional<PhoneNumber> openIfKept(byte[] sealed) {
        PhoneNumber known = openedRecently.getIfPresent(ByteBuffer.wrap(sealed));
        if (known != null) {
            return Optional.of(known);
        }
        Optional<PhoneNumber> opened = decrypt(sealed);
        opened.ifPresent(number -> openedRecently.put(ByteBuffer.wrap(sealed.clone()), number));
        return opened;
    }

    private Optional<PhoneNumber> decrypt(byte[] sealed) {
        byte[] token = tokenOf(sealed);
        byte[] key = keyring.existingDataKey(token);
        if (key == null) {
            return Optional.empty();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key,
                    Arrays.copyOfRange(sealed, RecipientTokens.LENGTH, RecipientTokens.LENGTH + NONCE));
            cipher.updateAAD(token);
            byte[] number = cipher.doFinal(sealed, RecipientTokens.LENGTH + NONCE,
                    sealed.length - RecipientTokens.LENGTH - NONCE);
            return Optional.of(PhoneNumber.ofStored(new String(number, StandardCharsets.US_ASCII)));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a sealed number in the store does not open: it was changed or damaged", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }

    /** The token a sealed number names. */
    public static byte[] tokenOf(byte[] sealed) {
        if (sealed.length < RecipientTokens.LENGTH + NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("a sealed number in the store is truncated");
        }
        return Arrays.copyOf(sealed, RecipientTokens.LENGTH);
    }

    /** The recipient of a token whose number is gone: equal only to itself, masked as "•••" in any log. */
    public static PhoneNumber standIn(byte[] token) {
        return PhoneNumber.ofStored(STAND_IN + HexFormat.of().formatHex(token));
    }

    /** Destroys the recipient's data key: every sealed copy of the number, in any file or backup, is unreadable. */
    public void shred(PhoneNumber number) {
        byte[] token = token(number);
        keyring.destroy(token);
        // Erasures are rare: a pass over the bounded caches is cheap enough.
        sealedRecently.asMap().keySet().removeIf(cached -> Arrays.equals(token(cached), token));
        openedRecently.asMap().keySet().removeIf(sealed -> Arrays.equals(sealed.array(), 0, RecipientTokens.LENGTH,
                token, 0, RecipientTokens.LENGTH));
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-GCM", e);
        }
    }
}
