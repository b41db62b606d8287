package chaoscontrol

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeFlags replaces the control file by rename, as writers do (spec section 5).
func writeFlags(t *testing.T, path string, generation int, flags map[string]interface{}) {
	t.Helper()
	data, err := json.Marshal(map[string]interface{}{"version": 1, "generation": generation, "flags": flags})
	if err != nil {
		t.Fatal(err)
	}
	writeBytes(t, path, data)
}

func writeBytes(t *testing.T, path string, data []byte) {
	t.Helper()
	temp := filepath.Join(filepath.Dir(path), ".control.json.tmp.test")
	if err := os.WriteFile(temp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(temp, path); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls until condition holds; a generous bound, not a timing assertion.
func waitFor(t *testing.T, what string, condition func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if condition() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s: not within 5 s", what)
}
