package chaoscontrol

import (
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestRenameOverSeenThroughInotify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	r := Open(path, Options{PollInterval: time.Hour})
	defer r.Close()
	if r.watch == nil || r.watch.wd < 0 {
		t.Fatal("inotify watch expected on Linux")
	}
	writeFlags(t, path, 1, map[string]interface{}{"a": map[string]interface{}{"enabled": true}})
	waitFor(t, "rename-over", func() bool { return r.Fires("a") })
	writeFlags(t, path, 2, map[string]interface{}{})
	waitFor(t, "second write", func() bool { return r.Generation() == 2 })
}

func TestConfigMapDataSwapSeen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "control.json")
	var r *Reader
	for number, name := range []string{"a", "b"} {
		version := filepath.Join(dir, "..v"+name)
		_ = os.Mkdir(version, 0o755)
		data, _ := json.Marshal(map[string]interface{}{"version": 1, "generation": number + 1,
			"flags": map[string]interface{}{name: map[string]interface{}{"enabled": true}}})
		_ = os.WriteFile(filepath.Join(version, "control.json"), data, 0o644)
		_ = os.Symlink("..v"+name, filepath.Join(dir, "..data_tmp"))
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
		if number == 0 {
			_ = os.Symlink("..data/control.json", path)
			r = Open(path, Options{PollInterval: time.Hour})
			defer r.Close()
		}
	}
	waitFor(t, "..data swap", func() bool { return r.Generation() == 2 })
	if !r.Fires("b") || r.Fires("a") {
		t.Fatal("the swapped document must be in force")
	}
}

func TestPollingAloneFollowsChangesAndDirectoryCreatedLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later", "control.json")
	r := Open(path, Options{PollInterval: 20 * time.Millisecond, PollingOnly: true})
	defer r.Close()
	_ = os.Mkdir(filepath.Dir(path), 0o755)
	writeFlags(t, path, 1, map[string]interface{}{"a": map[string]interface{}{"enabled": true}})
	waitFor(t, "polling", func() bool { return r.Fires("a") })
}

func TestCloseIsIdempotentAndPrompt(t *testing.T) {
	r := Open(filepath.Join(t.TempDir(), "control.json"), Options{PollInterval: time.Hour})
	r.Close()
	r.Close()
}

func TestMaxHitsExactAcrossGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	writeFlags(t, path, 1, map[string]interface{}{"m": map[string]interface{}{"enabled": true, "max_hits": 1000}})
	r := Open(path, Options{NoFollow: true})
	var total int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count := int64(0)
			for i := 0; i < 500; i++ {
				if r.Fires("m") {
					count++
				}
			}
			mu.Lock()
			total += count
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total != 1000 {
		t.Fatalf("fired %d times, max_hits 1000", total)
	}
}

func TestExpiryAtTheMillisecond(t *testing.T) {
	path := filepath.Join(t.TempDir(), "control.json")
	writeFlags(t, path, 1, map[string]interface{}{"e": map[string]interface{}{"enabled": true, "expires_at": "2026-11-22T17:00:00.035Z"}})
	now := time.Date(2026, 11, 22, 17, 0, 0, 34_999_999, time.UTC)
	r := Open(path, Options{NoFollow: true, Clock: func() time.Time { return now }})
	if !r.Fires("e") {
		t.Fatal(".034999999 is before .035")
	}
	now = now.Add(time.Nanosecond)
	if r.Fires("e") {
		t.Fatal("expired at .035")
	}
}

// 0 allocations per decision (issue #14), checked as a count, not a time.
func TestDecisionsDoNotAllocate(t *testing.T) {
	r := benchReader(t)
	for _, name := range []string{"hot", "cold", "absent", "seeded"} {
		if allocs := testing.AllocsPerRun(1000, func() { _ = r.Decide(name) }); allocs != 0 {
			t.Fatalf("%s: %.1f allocations per decision", name, allocs)
		}
		if allocs := testing.AllocsPerRun(1000, func() { _, _ = r.FireDelay(name) }); allocs != 0 {
			t.Fatalf("%s: %.1f allocations per FireDelay", name, allocs)
		}
	}
}

func benchReader(tb testing.TB) *Reader {
	path := filepath.Join(tb.TempDir(), "control.json")
	data, _ := json.Marshal(map[string]interface{}{"version": 1, "generation": 1, "flags": map[string]interface{}{
		"hot":    map[string]interface{}{"enabled": true, "percent": 100, "latency_ms": 5, "jitter_ms": 2},
		"cold":   map[string]interface{}{"enabled": true, "percent": 0},
		"seeded": map[string]interface{}{"enabled": true, "percent": 50, "seed": 7, "expires_at": "2999-01-01T00:00:00Z"},
	}})
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return Open(path, Options{NoFollow: true})
}

func BenchmarkDecideFiring(b *testing.B) {
	r := benchReader(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Decide("hot")
	}
}

func BenchmarkFireDelayFiring(b *testing.B) {
	r := benchReader(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = r.FireDelay("hot")
	}
}

func BenchmarkDecideNotFiring(b *testing.B) {
	r := benchReader(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Decide("cold")
	}
}

// The reference of the issue: a map lookup plus one call to the standard RNG.
func BenchmarkReferenceMapLookupAndRand(b *testing.B) {
	percents := map[string]float64{"hot": 100, "cold": 0, "seeded": 50}
	b.ReportAllocs()
	fired := 0
	for i := 0; i < b.N; i++ {
		if rand.Float64()*100 < percents["hot"] {
			fired++
		}
	}
	_ = fired
}
