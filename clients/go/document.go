package chaoscontrol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"sync/atomic"
	"unicode/utf8"
)

// Limits of protocol version 1 (docs/control-file.md sections 2-3).
const (
	SupportedVersion = 1
	MaxFileBytes     = 1 << 20
	MaxDepth         = 512
	maxMilliseconds  = 86_400_000
	maxHits          = 1_000_000_000_000
	maxSafeInteger   = 1<<53 - 1
)

// Mode and Severity of a flag ("" when absent).
type Mode string
type Severity string

const (
	ModeFail     Mode     = "fail"
	ModeFallback Mode     = "fallback"
	SeveritySoft Severity = "soft"
	SeverityHard Severity = "hard"
)

// flag is one compiled flag; immutable once published, except its shared counters.
type flag struct {
	enabled       bool
	always        bool
	threshold     uint64
	latency       int64 // nanoseconds
	jitter        int64 // nanoseconds
	mode          Mode
	severity      Severity
	hasExpiry     bool
	expiresMillis int64
	maxHits       uint64 // 0: unlimited
	seeded        bool
	params        map[string]interface{}
	definition    string
	counters      *counters
}

// counters belong to one definition of a flag: a new definition gets new counters, so
// max_hits and the flag's seed sequence restart (sections 3.1, 3.2).
type counters struct {
	hits     atomic.Uint64
	sequence atomic.Uint64
}

// Document is the state in force: generation and flags. Never changed once published.
type Document struct {
	Generation uint64
	flags      map[string]*flag
}

var emptyDocument = &Document{flags: map[string]*flag{}}

func invalid(reason string, flagName, field string, value interface{}) *FileError {
	e := &FileError{Flag: flagName, Field: field, Reason: reason}
	if value != nil {
		e.Value = show(value)
	}
	return e
}

func integer(value interface{}, low, high float64, flagName, field string) (float64, *FileError) {
	number, ok := value.(float64)
	if !ok {
		return 0, invalid("must be an integer", flagName, field, value)
	}
	if number != math.Floor(number) {
		return 0, invalid("is not an integer", flagName, field, value)
	}
	if number < low || number > high {
		return 0, invalid(fmt.Sprintf("is out of range %.0f-%.0f", low, high), flagName, field, value)
	}
	return number, nil
}

// depth is the nesting depth of parsed JSON (objects and arrays), without recursion.
func depth(root interface{}) int {
	type item struct {
		value interface{}
		level int
	}
	deepest, stack := 0, []item{{root, 1}}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v := top.value.(type) {
		case map[string]interface{}:
			if top.level > deepest {
				deepest = top.level
			}
			for _, child := range v {
				stack = append(stack, item{child, top.level + 1})
			}
		case []interface{}:
			if top.level > deepest {
				deepest = top.level
			}
			for _, child := range v {
				stack = append(stack, item{child, top.level + 1})
			}
		}
		if deepest > MaxDepth {
			return deepest
		}
	}
	return deepest
}

// parseDocument validates everything; any invalid part rejects the whole file.
func parseDocument(data []byte) (*Document, *FileError) {
	if !utf8.Valid(data) {
		return nil, &FileError{Reason: "is not valid JSON (not UTF-8)"}
	}
	var root interface{}
	decoder := json.NewDecoder(bytes.NewReader(data))
	if err := decoder.Decode(&root); err != nil {
		return nil, &FileError{Reason: "is not valid JSON (" + err.Error() + ")"}
	}
	if _, err := decoder.Token(); err == nil {
		return nil, &FileError{Reason: "is not valid JSON (data after the top-level value)"}
	}
	top, ok := root.(map[string]interface{})
	if !ok {
		return nil, &FileError{Reason: "the top level must be a JSON object"}
	}
	if depth(top) > MaxDepth {
		return nil, &FileError{Reason: fmt.Sprintf("is nested deeper than %d levels", MaxDepth)}
	}
	versionValue, ok := top["version"]
	if !ok {
		return nil, invalid("is required", "", "version", nil)
	}
	version, err := integer(versionValue, 1, math.MaxFloat64, "", "version")
	if err != nil {
		return nil, err
	}
	if version > SupportedVersion {
		return nil, &FileError{Reason: fmt.Sprintf("unsupported version %.0f (this reader understands version %d)", version, SupportedVersion)}
	}
	generationValue, ok := top["generation"]
	if !ok {
		return nil, invalid("is required", "", "generation", nil)
	}
	generation, err := integer(generationValue, 0, maxSafeInteger, "", "generation")
	if err != nil {
		return nil, err
	}
	if value, ok := top["updated_at"]; ok {
		if text, isText := value.(string); !isText {
			return nil, invalid("is not an RFC 3339 timestamp", "", "updated_at", value)
		} else if _, valid := parseMillis(text); !valid {
			return nil, invalid("is not an RFC 3339 timestamp", "", "updated_at", value)
		}
	}
	if value, ok := top["updated_by"]; ok {
		if _, isText := value.(string); !isText {
			return nil, invalid("must be a string", "", "updated_by", value)
		}
	}
	flagsValue, ok := top["flags"]
	if !ok {
		return nil, invalid("is required", "", "flags", nil)
	}
	objects, ok := flagsValue.(map[string]interface{})
	if !ok {
		return nil, invalid("must be an object mapping flag names to flags", "", "flags", flagsValue)
	}
	names := make([]string, 0, len(objects))
	for name := range objects {
		names = append(names, name)
	}
	sort.Strings(names)
	document := &Document{Generation: uint64(generation), flags: make(map[string]*flag, len(objects))}
	for _, name := range names {
		compiled, err := parseFlag(name, objects[name])
		if err != nil {
			return nil, err
		}
		document.flags[name] = compiled
	}
	return document, nil
}

func validName(name string) bool {
	if len(name) < 1 || len(name) > 128 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func parseFlag(name string, value interface{}) (*flag, *FileError) {
	if !validName(name) {
		return nil, &FileError{Flag: name, Reason: "invalid flag name: must match ^[a-z0-9._-]{1,128}$"}
	}
	fields, ok := value.(map[string]interface{})
	if !ok {
		return nil, invalid("must be an object", name, "", value)
	}
	enabledValue, ok := fields["enabled"]
	if !ok {
		return nil, invalid("is required", name, "enabled", nil)
	}
	enabled, ok := enabledValue.(bool)
	if !ok {
		return nil, invalid("must be true or false", name, "enabled", enabledValue)
	}
	compiled := &flag{enabled: enabled, params: map[string]interface{}{}}
	percent := 100.0
	if v, present := fields["percent"]; present {
		number, isNumber := v.(float64)
		if !isNumber || number < 0 || number > 100 {
			return nil, invalid("must be a number 0-100", name, "percent", v)
		}
		percent = number
	}
	compiled.threshold, compiled.always = threshold(percent)
	for _, field := range []string{"latency_ms", "jitter_ms"} {
		if v, present := fields[field]; present {
			ms, err := integer(v, 0, maxMilliseconds, name, field)
			if err != nil {
				return nil, err
			}
			if field == "latency_ms" {
				compiled.latency = int64(ms) * 1_000_000
			} else {
				compiled.jitter = int64(ms) * 1_000_000
			}
		}
	}
	if v, present := fields["mode"]; present {
		if text, _ := v.(string); text == string(ModeFail) || text == string(ModeFallback) {
			compiled.mode = Mode(text)
		} else {
			return nil, invalid("is not one of fail, fallback", name, "mode", v)
		}
	}
	if v, present := fields["severity"]; present {
		if text, _ := v.(string); text == string(SeveritySoft) || text == string(SeverityHard) {
			compiled.severity = Severity(text)
		} else {
			return nil, invalid("is not one of soft, hard", name, "severity", v)
		}
	}
	if v, present := fields["expires_at"]; present {
		text, _ := v.(string)
		millis, valid := parseMillis(text)
		if !valid {
			return nil, invalid("is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)", name, "expires_at", v)
		}
		compiled.hasExpiry, compiled.expiresMillis = true, millis
	}
	if v, present := fields["max_hits"]; present {
		hits, err := integer(v, 1, maxHits, name, "max_hits")
		if err != nil {
			return nil, err
		}
		compiled.maxHits = uint64(hits)
	}
	compiled.counters = &counters{}
	if v, present := fields["seed"]; present {
		seed, err := integer(v, 0, maxSafeInteger, name, "seed")
		if err != nil {
			return nil, err
		}
		compiled.seeded = true
		compiled.counters.sequence.Store(uint64(seed))
	}
	if v, present := fields["params"]; present {
		params, isObject := v.(map[string]interface{})
		if !isObject {
			return nil, invalid("must be an object", name, "params", v)
		}
		for key, param := range params {
			if len(key) < 1 || len(key) > 128 {
				return nil, invalid("is not a valid parameter name (1-128 bytes)", name, "params", key)
			}
			switch param.(type) {
			case string, bool, float64:
			default:
				return nil, invalid("must be a string, number or boolean", name, "params."+key, param)
			}
			compiled.params[key] = param
		}
	}
	definition, _ := json.Marshal(fields) // map keys sorted: the flag's JSON, to spot definition changes
	compiled.definition = string(definition)
	return compiled, nil
}
