package org.optline.server.http;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts one spooled upload (an audience: a list of numbers) as it is written, with a key that
 * lives only in the heap for as long as the upload does: the file in {@code <data dir>/uploads}
 * is never readable, not while it is imported nor after a crash leaves it behind (it is deleted
 * at the next start anyway). AES in counter mode: a stream cipher, so each chunk is written as it
 * comes, the same size; the file needs no integrity of its own, since only this process reads it
 * back, once.
 */
final class SpoolCipher {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final Cipher encryption;

    private SpoolCipher(byte[] key, byte[] iv) {
        this.key = new SecretKeySpec(key, "AES");
        this.iv = new IvParameterSpec(iv);
        this.encryption = cipher(Cipher.ENCRYPT_MODE);
    }

    /** A new key for one upload. */
    static SpoolCipher random() {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        return new SpoolCipher(key, iv);
    }

    /** Encrypts the next bytes of the upload (they must come in order); returns the ciphertext. */
    ByteBuffer encrypt(ByteBuffer plain) {
        ByteBuffer out = ByteBuffer.allocate(plain.remaining());
        try {
            encryption.update(plain, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR cannot fail on a buffer of the same size", e);
        }
        return out.flip();
    }

    /** The upload read back in clear, from the start of its file. */
    InputStream decrypting(InputStream sealed) {
        return new CipherInputStream(sealed, cipher(Cipher.DECRYPT_MODE));
    }

    private Cipher cipher(int mode) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, key, iv);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES-CTR", e);
        }
    }
}
