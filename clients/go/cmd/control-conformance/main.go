// Command control-conformance runs docs/conformance/ vectors (docs/control-file.md
// section 8) through the Go reader and prints one JSON line per vector.
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chaosctl.dev/chaoscontrol"
)

type step struct {
	Op       string          `json:"op"`
	Document json.RawMessage `json:"document"`
	Text     string          `json:"text"`
	Bytes    int             `json:"bytes"`
	At       string          `json:"at"`
	Flag     string          `json:"flag"`
	Method   string          `json:"method"`
	Expect   json.RawMessage `json:"expect"`
}

type vector struct {
	Name       string  `json:"name"`
	Clock      string  `json:"clock"`
	ReaderSeed *uint64 `json:"reader_seed"`
	Steps      []step  `json:"steps"`
}

type files struct {
	directory, path string
	versions        int
}

func (f *files) clear(target string) error {
	if _, err := os.Lstat(target); err != nil {
		return nil
	}
	return os.RemoveAll(target)
}

func (f *files) replace(data []byte) error {
	if err := os.MkdirAll(f.directory, 0o755); err != nil {
		return err
	}
	temp := filepath.Join(f.directory, fmt.Sprintf(".control.json.tmp.%d", os.Getpid()))
	if err := os.WriteFile(temp, data, 0o644); err != nil {
		return err
	}
	if info, err := os.Lstat(f.path); err == nil && !info.Mode().IsRegular() {
		if err := f.clear(f.path); err != nil {
			return err
		}
	}
	return os.Rename(temp, f.path)
}

func (f *files) configMap(data []byte) error {
	f.versions++
	version := fmt.Sprintf("..2026_11_22_17_05_00.%d", f.versions)
	if err := os.MkdirAll(filepath.Join(f.directory, version), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(f.directory, version, "control.json"), data, 0o644); err != nil {
		return err
	}
	link := filepath.Join(f.directory, "..data_tmp")
	if err := os.Symlink(version, link); err != nil {
		return err
	}
	if err := os.Rename(link, filepath.Join(f.directory, "..data")); err != nil {
		return err
	}
	if target, err := os.Readlink(f.path); err != nil || target != "..data/control.json" {
		if err := f.clear(f.path); err != nil {
			return err
		}
		return os.Symlink("..data/control.json", f.path)
	}
	return nil
}

// apply performs a file step; false when the step is not one.
func (f *files) apply(s step) (bool, error) {
	switch s.Op {
	case "write":
		return true, f.replace(s.Document)
	case "write_text":
		return true, f.replace([]byte(s.Text))
	case "write_large":
		text := `{"version": 1, "generation": 99, "flags": {}}`
		return true, f.replace([]byte(text + strings.Repeat(" ", s.Bytes-len(text))))
	case "configmap":
		return true, f.configMap(s.Document)
	case "remove":
		return true, f.clear(f.path)
	case "remove_directory":
		return true, f.clear(f.directory)
	case "make_directory":
		if err := f.clear(f.path); err != nil {
			return true, err
		}
		return true, os.MkdirAll(f.path, 0o755)
	case "symlink_loop":
		if err := os.MkdirAll(f.directory, 0o755); err != nil {
			return true, err
		}
		if err := f.clear(f.path); err != nil {
			return true, err
		}
		return true, os.Symlink("control.json", f.path)
	}
	return false, nil
}

func parseClock(text string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, text)
}

func run(v vector, fast bool) ([]interface{}, error) {
	root, err := os.MkdirTemp("", "control-conformance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	f := &files{directory: filepath.Join(root, "chaos")}
	f.path = filepath.Join(f.directory, "control.json")
	now, err := parseClock(v.Clock)
	if err != nil {
		return nil, err
	}
	var reader *chaoscontrol.Reader
	results := []interface{}{}
	for _, s := range v.Steps {
		if isFile, err := f.apply(s); isFile {
			if err != nil {
				return nil, err
			}
			if reader != nil {
				reader.ReloadNow()
			}
			continue
		}
		if s.Op == "clock" {
			if now, err = parseClock(s.At); err != nil {
				return nil, err
			}
			continue
		}
		if reader == nil {
			reader = chaoscontrol.Open(f.path, chaoscontrol.Options{NoFollow: true, Seed: v.ReaderSeed,
				Clock: func() time.Time { return now }})
		}
		switch s.Op {
		case "start":
		case "call":
			var expect []json.RawMessage
			if err := json.Unmarshal(s.Expect, &expect); err != nil {
				return nil, err
			}
			seen := []interface{}{}
			for range expect {
				if s.Method == "fires" {
					seen = append(seen, reader.Fires(s.Flag))
					continue
				}
				var d chaoscontrol.Decision
				if fast {
					d = fastDecision(reader, s.Flag)
				} else {
					d = reader.Decide(s.Flag)
				}
				var mode, severity interface{}
				if d.Mode != "" {
					mode = string(d.Mode)
				}
				if d.Severity != "" {
					severity = string(d.Severity)
				}
				seen = append(seen, map[string]interface{}{"fires": d.Fires, "delay_ns": int64(d.Delay), "mode": mode, "severity": severity})
			}
			results = append(results, seen)
		case "state":
			var expect map[string]json.RawMessage
			if err := json.Unmarshal(s.Expect, &expect); err != nil {
				return nil, err
			}
			seen := map[string]interface{}{}
			if _, ok := expect["generation"]; ok {
				seen["generation"] = reader.Generation()
			}
			if _, ok := expect["error"]; ok {
				seen["error"] = reader.Err() != nil
			}
			if raw, ok := expect["params"]; ok {
				var names map[string]json.RawMessage
				if err := json.Unmarshal(raw, &names); err != nil {
					return nil, err
				}
				params := map[string]interface{}{}
				for name := range names {
					p := reader.Params(name)
					if p == nil {
						p = map[string]interface{}{}
					}
					params[name] = p
				}
				seen["params"] = params
			}
			results = append(results, seen)
		default:
			return nil, fmt.Errorf("unknown op %q", s.Op)
		}
	}
	if reader != nil {
		reader.Close()
	}
	return results, nil
}

// watch is the live cross-language test's reader (scripts/live-clients.py): prints
// "ready", then "<fires> <epoch ns>" when Fires flips, then "errors N".
func watch(path, name string, seconds float64) {
	var mu sync.Mutex
	errors := 0
	reader := chaoscontrol.Open(path, chaoscontrol.Options{OnError: func(error) {
		mu.Lock()
		errors++
		mu.Unlock()
	}})
	last := false
	fmt.Println("ready")
	end := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	for time.Now().Before(end) {
		if fires := reader.Fires(name); fires != last {
			fmt.Printf("%v %d\n", fires, time.Now().UnixNano())
			last = fires
		}
		time.Sleep(200 * time.Microsecond)
	}
	mu.Lock()
	fmt.Printf("errors %d\n", errors)
	mu.Unlock()
	reader.Close()
}

// fastDecision is Decide's answer assembled from the fast path (the runner's --fast mode).
func fastDecision(reader *chaoscontrol.Reader, name string) chaoscontrol.Decision {
	delay, fires := reader.FireDelay(name)
	if !fires {
		return chaoscontrol.Decision{}
	}
	return chaoscontrol.Decision{Fires: true, Delay: delay, Mode: reader.Mode(name), Severity: reader.Severity(name)}
}

// bench prints ns and allocations per decision (firing, not firing) on the fast path,
// FireDelay, against a map lookup plus one math/rand call, measured in the same run, with
// Decide as extra rows (scripts/bench-clients.sh).
func bench() {
	root, _ := os.MkdirTemp("", "control-bench-")
	defer os.RemoveAll(root)
	path := filepath.Join(root, "control.json")
	_ = os.WriteFile(path, []byte(`{"version": 1, "generation": 1, "flags": {"hot": {"enabled": true, "latency_ms": 5, "jitter_ms": 2}, "cold": {"enabled": true, "percent": 0}}}`), 0o644)
	reader := chaoscontrol.Open(path, chaoscontrol.Options{})
	defer reader.Close()
	percents := map[string]float64{"hot": 100, "cold": 0}
	var sink int64
	run := func(body func()) testing.BenchmarkResult {
		return testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				body()
			}
		})
	}
	fire := run(func() {
		delay, _ := reader.FireDelay("hot")
		sink += int64(delay)
	})
	noFire := run(func() {
		if _, fires := reader.FireDelay("cold"); fires {
			sink++
		}
	})
	decideFire := run(func() { sink += int64(reader.Decide("hot").Delay) })
	decideNoFire := run(func() {
		if reader.Decide("cold").Fires {
			sink++
		}
	})
	reference := run(func() {
		if rand.Float64()*100 < percents["hot"] {
			sink++
		}
	})
	nsPerOp := func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }
	out, _ := json.Marshal(map[string]interface{}{"language": "go", "fire_ns": nsPerOp(fire), "nofire_ns": nsPerOp(noFire),
		"reference_ns": nsPerOp(reference), "fire_allocs": fire.AllocsPerOp(), "nofire_allocs": noFire.AllocsPerOp(),
		"decide_fire_ns": nsPerOp(decideFire), "decide_nofire_ns": nsPerOp(decideNoFire),
		"decide_fire_allocs": decideFire.AllocsPerOp(), "decide_nofire_allocs": decideNoFire.AllocsPerOp(),
		"sink": sink % 2})
	fmt.Println(string(out))
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--bench" {
		bench()
		return
	}
	if len(os.Args) == 5 && os.Args[1] == "--watch" {
		seconds, _ := strconv.ParseFloat(os.Args[4], 64)
		watch(os.Args[2], os.Args[3], seconds)
		return
	}
	files := os.Args[1:]
	fast := len(files) > 0 && files[0] == "--fast" // decide calls through FireDelay, Mode, Severity
	if fast {
		files = files[1:]
	}
	failed := false
	for _, path := range files {
		line := map[string]interface{}{"file": path}
		var v vector
		data, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(data, &v)
		}
		if err == nil {
			line["name"] = v.Name
			var results []interface{}
			if results, err = run(v, fast); err == nil {
				line["results"] = results
			}
		}
		if err != nil {
			line["error"] = err.Error()
			failed = true
		}
		out, _ := json.Marshal(line)
		fmt.Println(string(out))
	}
	if failed {
		os.Exit(1)
	}
}
