package chaoscontrol

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The bad-input list: never panic, never fire by accident, keep the last good
// state, report through Err and OnError.
func badInputs(t *testing.T, path string) map[string]func() {
	nested := `{"version": 1, "generation": 2, "flags": {}, "x": ` + strings.Repeat("[", 50000) + strings.Repeat("]", 50000) + "}"
	return map[string]func(){
		"corrupt":   func() { writeBytes(t, path, []byte("\x00\xff{{{ not json")) },
		"empty":     func() { writeBytes(t, path, nil) },
		"truncated": func() { writeBytes(t, path, []byte(`{"version": 1, "generation": 2, "flags": {"slow": {"enab`)) },
		"oversized": func() {
			writeBytes(t, path, []byte(`{"version": 1, "generation": 2, "flags": {}}`+strings.Repeat(" ", 2<<20)))
		},
		"deeply nested":  func() { writeBytes(t, path, []byte(nested)) },
		"future version": func() { writeBytes(t, path, []byte(`{"version": 2, "generation": 2, "flags": {}}`)) },
		"invalid utf-8": func() {
			writeBytes(t, path, []byte("{\"version\": 1, \"generation\": 2, \"flags\": {}, \"x\": \"\xff\"}"))
		},
		"invalid flag": func() {
			writeFlags(t, path, 2, map[string]interface{}{"slow": map[string]interface{}{"enabled": true, "percent": 101}})
		},
		"trailing data": func() { writeBytes(t, path, []byte(`{"version": 1, "generation": 2, "flags": {}} {}`)) },
		"directory": func() {
			_ = os.Remove(path)
			_ = os.Mkdir(path, 0o755)
		},
		"symlink loop": func() {
			_ = os.Remove(path)
			_ = os.Symlink("control.json", path)
		},
	}
}

var good = map[string]interface{}{"slow": map[string]interface{}{"enabled": true, "latency_ms": 5}}

func TestBadInputKeepsLastGoodStateAndReportsIt(t *testing.T) {
	for label := range badInputs(t, "") {
		t.Run(label, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "control.json")
			writeFlags(t, path, 1, good)
			var reported []error
			r := Open(path, Options{NoFollow: true, OnError: func(err error) { reported = append(reported, err) }})
			if !r.Fires("slow") {
				t.Fatal("good file must fire")
			}
			badInputs(t, path)[label]()
			r.ReloadNow()
			if r.Generation() != 1 || r.Decide("slow").Delay != 5e6 {
				t.Fatalf("last good state lost: generation %d", r.Generation())
			}
			if delay, fires := r.FireDelay("slow"); !fires || delay != 5e6 {
				t.Fatalf("fast path lost the last good state: %v %v", delay, fires)
			}
			if len(reported) != 1 || r.Err() == nil || !strings.Contains(r.Err().Error(), path) {
				t.Fatalf("error not reported naming the path: %v / %v", reported, r.Err())
			}
		})
	}
}

func TestBadInputBeforeAnyGoodStateFiresNothing(t *testing.T) {
	for label := range badInputs(t, "") {
		t.Run(label, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "control.json")
			writeFlags(t, path, 0, map[string]interface{}{})
			badInputs(t, path)[label]()
			r := Open(path, Options{NoFollow: true})
			if r.Fires("slow") || r.Generation() != 0 || r.Err() == nil {
				t.Fatalf("fires %v generation %d err %v", r.Fires("slow"), r.Generation(), r.Err())
			}
			if _, fires := r.FireDelay("slow"); fires {
				t.Fatal("fast path fires")
			}
		})
	}
}

func TestFileThatDisappearsMeansNoFaultsAndNoError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	writeFlags(t, path, 1, good)
	r := Open(path, Options{NoFollow: true})
	_ = os.Remove(path)
	r.ReloadNow()
	if r.Fires("slow") || r.Err() != nil {
		t.Fatalf("fires %v err %v", r.Fires("slow"), r.Err())
	}
}

// The watcher goroutine itself meets the bad input (no ReloadNow here): it reports it,
// keeps the last good state, clears it when the file disappears, and keeps following.
func TestWhileFollowedABadFileThenAVanishedOneThenAGoodOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	writeFlags(t, path, 1, good)
	var reported atomic.Int32
	r := Open(path, Options{PollInterval: time.Hour, OnError: func(error) { reported.Add(1) }})
	defer r.Close()
	writeBytes(t, path, []byte(`{"version": 1, "generation": 2, "flags": {}, "x": `+strings.Repeat("[", 50000)+strings.Repeat("]", 50000)+"}"))
	waitFor(t, "the watcher reports the nested file", func() bool { return reported.Load() == 1 })
	if delay, fires := r.FireDelay("slow"); r.Generation() != 1 || !fires || delay != 5e6 {
		t.Fatalf("last good state lost: generation %d, %v %v", r.Generation(), delay, fires)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the vanished file clears the error", func() bool { return r.Err() == nil })
	if _, fires := r.FireDelay("slow"); fires || r.Generation() != 0 {
		t.Fatalf("a vanished file means no faults: generation %d", r.Generation())
	}
	writeFlags(t, path, 3, good)
	waitFor(t, "still following", func() bool { return r.Generation() == 3 && r.Fires("slow") })
	if reported.Load() != 1 {
		t.Fatalf("%d errors reported, want 1", reported.Load())
	}
}

func TestErrorNamesFlagFieldAndValue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	writeFlags(t, path, 1, map[string]interface{}{"slow": map[string]interface{}{"enabled": true, "percent": 150}})
	r := Open(path, Options{NoFollow: true})
	want := path + `: flag "slow": field "percent": 150 must be a number 0-100`
	if r.Err() == nil || r.Err().Error() != want {
		t.Fatalf("got %v, want %s", r.Err(), want)
	}
}
