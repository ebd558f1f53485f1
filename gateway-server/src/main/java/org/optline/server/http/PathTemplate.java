package org.optline.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path such as {@code /v1/inbox/{recipient}/ack}: literal segments match themselves, a
 * {@code {name}} segment matches any one non-empty segment of the raw (still percent-encoded)
 * path, so that an encoded {@code %2F} can never split a value in two.
 */
final class PathTemplate {
    private final String template;
    private final String[] segments;

    PathTemplate(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        this.template = template;
        this.segments = template.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.startsWith("{") != segment.endsWith("}")) {
                throw new IllegalArgumentException("malformed path template: " + template);
            }
        }
    }

    /**
     * The raw values of the template's parameters, or null when the path does not match.
     *
     * @param parts the path's segments, as {@link #split} made them
     */
    Map<String, String> match(List<String> parts) {
        if (parts == null || parts.size() != segments.length) {
            return null;
        }
        Map<String, String> parameters = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String part = parts.get(i);
            if (isParameter(segment)) {
                if (part.isEmpty()) {
                    return null;
                }
                if (parameters == null) {
                    parameters = new HashMap<>(4);
                }
                parameters.put(segment.substring(1, segment.length() - 1), part);
            } else if (!segment.equals(part)) {
                return null;
            }
        }
        return parameters == null ? Map.of() : parameters;
    }

    /** The names of the parameters, in order. */
    List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (String segment : segments) {
            if (isParameter(segment)) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        return names;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{");
    }

    /** A raw path's segments, split once per request; null when it does not start with '/'. */
    static List<String> split(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        List<String> parts = new ArrayList<>(6);
        int start = 1;
        for (int i = 1; i <= rawPath.length(); i++) {
            if (i == rawPath.length() || rawPath.charAt(i) == '/') {
                parts.add(rawPath.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    @Override
    public String toString() {
        return template;
    }
}
