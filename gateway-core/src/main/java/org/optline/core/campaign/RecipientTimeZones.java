package org.optline.core.campaign;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.optline.core.recipient.PhoneNumber;

/**
 * The time zones a recipient may be in, from the number alone (libphonenumber's prefix-to-zone
 * data): one zone for most numbers, several for a number whose prefix covers a wide region (a
 * mobile number in Australia or Russia). A number the data does not place is taken to be in UTC.
 */
public final class RecipientTimeZones {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final List<ZoneId> UNKNOWN = List.of(ZoneOffset.UTC);

    private final PhoneNumberToTimeZonesMapper mapper = PhoneNumberToTimeZonesMapper.getInstance();

    public List<ZoneId> of(PhoneNumber number) {
        List<String> ids;
        try {
            ids = mapper.getTimeZonesForNumber(UTIL.parse(number.e164(), null));
        } catch (NumberParseException e) {
            return UNKNOWN;
        }
        List<ZoneId> zones = new ArrayList<>(ids.size());
        for (String id : ids) {
            try {
                zones.add(ZoneId.of(id));
            } catch (DateTimeException e) {
                // "Etc/Unknown", or a zone this JDK does not know: nothing to go by.
            }
        }
        return zones.isEmpty() ? UNKNOWN : List.copyOf(zones);
    }
}
