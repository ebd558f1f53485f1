package org.optline.core.business;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A block of client addresses in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}),
 * or one address. Only literal addresses are read: a host name is refused, never looked up.
 */
public final class AddressRange {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F.:]+");
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** Reads {@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code ::1}, {@code 2001:db8::/32}. */
    public static AddressRange parse(String cidr) {
        String value = cidr.trim();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (!LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("expected an address or a CIDR block such as 203.0.113.0/24, was '"
                    + value + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + value + "'");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: '" + value + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("a prefix length is 0 to " + bits + " here: '" + value + "'");
            }
        }
        return new AddressRange(bytes, prefix, value);
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
