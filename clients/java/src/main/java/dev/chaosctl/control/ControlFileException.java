package dev.chaosctl.control;

/** Why the control file on disk is not in force; names the file, flag, field and value. */
public final class ControlFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path, flag, field, value, reason;

    ControlFileException(String reason, String path, String flag, String field, String value) {
        super(describe(reason, path, flag, field, value));
        this.reason = reason;
        this.path = path;
        this.flag = flag;
        this.field = field;
        this.value = value;
    }

    static ControlFileException of(String reason) {
        return new ControlFileException(reason, null, null, null, null);
    }

    static ControlFileException field(String reason, String flag, String field, Object value) {
        return new ControlFileException(reason, null, flag, field, value == null ? null : Json.write(value));
    }

    ControlFileException at(String newPath) {
        return new ControlFileException(reason, newPath, flag, field, value);
    }

    public String path() { return path; }
    public String flag() { return flag; }
    public String field() { return field; }

    private static String describe(String reason, String path, String flag, String field, String value) {
        StringBuilder text = new StringBuilder();
        if (path != null) text.append(path).append(": ");
        if (flag != null) text.append("flag \"").append(flag).append("\": ");
        if (field != null) text.append("field \"").append(field).append("\": ");
        if (value != null) text.append(value).append(' ');
        return text.append(reason).toString();
    }
}
