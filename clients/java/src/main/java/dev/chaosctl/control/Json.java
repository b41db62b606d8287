package dev.chaosctl.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict JSON (RFC 8259) parser and writer, since Java's standard library has none.
 * Objects become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers
 * {@code Double} (the nearest double, as the spec assumes), {@code null} {@link #NULL}.
 * Nesting deeper than {@code maxDepth} is an error, so a hostile file cannot overflow the stack.
 */
final class Json {
    /** JSON null (a map cannot hold Java null as a value we can tell from "absent"). */
    static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };

    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        ParseException(String message) { super(message); }
    }

    private final String text;
    private final int maxDepth;
    private int index;

    private Json(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    static Object parse(String text, int maxDepth) throws ParseException {
        Json parser = new Json(text, maxDepth);
        parser.skipSpace();
        Object value = parser.value(1);
        parser.skipSpace();
        if (parser.index != text.length()) throw parser.error("data after the top-level value");
        return value;
    }

    private ParseException error(String what) {
        return new ParseException(what + " at offset " + index);
    }

    private void skipSpace() {
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            index++;
        }
    }

    private Object value(int depth) throws ParseException {
        if (index >= text.length()) throw error("unexpected end");
        char c = text.charAt(index);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected character '" + c + "'");
        }
    }

    private Object literal(String word, Object value) throws ParseException {
        if (!text.startsWith(word, index)) throw error("invalid literal");
        index += word.length();
        return value;
    }

    private Map<String, Object> object(int depth) throws ParseException {
        if (depth > maxDepth) throw error("nested deeper than " + maxDepth + " levels");
        Map<String, Object> map = new LinkedHashMap<>();
        index++;
        skipSpace();
        if (index < text.length() && text.charAt(index) == '}') { index++; return map; }
        while (true) {
            skipSpace();
            if (index >= text.length() || text.charAt(index) != '"') throw error("expected a key");
            String key = string();
            skipSpace();
            if (index >= text.length() || text.charAt(index) != ':') throw error("expected ':'");
            index++;
            skipSpace();
            map.put(key, value(depth + 1));
            skipSpace();
            if (index >= text.length()) throw error("unexpected end");
            char c = text.charAt(index++);
            if (c == '}') return map;
            if (c != ',') throw error("expected ',' or '}'");
        }
    }

    private List<Object> array(int depth) throws ParseException {
        if (depth > maxDepth) throw error("nested deeper than " + maxDepth + " levels");
        List<Object> list = new ArrayList<>();
        index++;
        skipSpace();
        if (index < text.length() && text.charAt(index) == ']') { index++; return list; }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            if (index >= text.length()) throw error("unexpected end");
            char c = text.charAt(index++);
            if (c == ']') return list;
            if (c != ',') throw error("expected ',' or ']'");
        }
    }

    private String string() throws ParseException {
        StringBuilder out = new StringBuilder();
        index++;
        while (true) {
            if (index >= text.length()) throw error("unterminated string");
            char c = text.charAt(index++);
            if (c == '"') return out.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') { out.append(c); continue; }
            if (index >= text.length()) throw error("unterminated escape");
            char e = text.charAt(index++);
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (index + 4 > text.length()) throw error("short \\u escape");
                    try {
                        out.append((char) Integer.parseInt(text.substring(index, index + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("invalid \\u escape");
                    }
                    index += 4;
                    break;
                default: throw error("invalid escape");
            }
        }
    }

    private Double number() throws ParseException {
        int start = index;
        if (text.charAt(index) == '-') index++;
        if (index < text.length() && text.charAt(index) == '0') {
            index++;
        } else if (!digits()) {
            throw error("invalid number");
        }
        if (index < text.length() && text.charAt(index) == '.') {
            index++;
            if (!digits()) throw error("invalid number");
        }
        if (index < text.length() && (text.charAt(index) == 'e' || text.charAt(index) == 'E')) {
            index++;
            if (index < text.length() && (text.charAt(index) == '+' || text.charAt(index) == '-')) index++;
            if (!digits()) throw error("invalid number");
        }
        double value = Double.parseDouble(text.substring(start, index));
        if (Double.isInfinite(value)) throw error("number out of range");
        return value;
    }

    private boolean digits() {
        int start = index;
        while (index < text.length() && text.charAt(index) >= '0' && text.charAt(index) <= '9') index++;
        return index > start;
    }

    /** Compact JSON with sorted keys; integral doubles below 2^53 are written without ".0". */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> entry : new TreeMap<>((Map<String, Object>) value).entrySet()) {
                if (!first) out.append(',');
                first = false;
                writeString(entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<Object>) value) {
                if (!first) out.append(',');
                first = false;
                write(item, out);
            }
            out.append(']');
        } else if (value instanceof String) {
            writeString((String) value, out);
        } else if (value instanceof Double) {
            double d = (Double) value;
            if (d == Math.rint(d) && Math.abs(d) < 9007199254740992.0) out.append((long) d);
            else out.append(d);
        } else {
            out.append(value);
        }
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }
}
