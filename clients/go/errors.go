package chaoscontrol

import (
	"encoding/json"
	"fmt"
	"strings"
)

// FileError says why the control file on disk is not in force, naming the file and,
// where they apply, the flag, field and value.
type FileError struct {
	Path, Flag, Field, Value, Reason string
}

func (e *FileError) Error() string {
	var parts []string
	if e.Path != "" {
		parts = append(parts, e.Path)
	}
	if e.Flag != "" {
		parts = append(parts, fmt.Sprintf("flag %q", e.Flag))
	}
	if e.Field != "" {
		parts = append(parts, fmt.Sprintf("field %q", e.Field))
	}
	detail := e.Reason
	if e.Value != "" {
		detail = e.Value + " " + e.Reason
	}
	if len(parts) == 0 {
		return detail
	}
	return strings.Join(parts, ": ") + ": " + detail
}

func show(value interface{}) string {
	text, err := json.Marshal(value)
	if err != nil {
		return fmt.Sprint(value)
	}
	return string(text)
}
