// Package chaoscontrol reads the chaosctl control file (docs/control-file.md): fault flags
// a service asks about per call, followed live as the file changes.
//
//	control := chaoscontrol.Open("/run/chaos/control.json", chaoscontrol.Options{})
//	if control.Fires("drop-s3") { return errDropped }
package chaoscontrol

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune a Reader; the zero value is the production default.
type Options struct {
	// PollInterval is how often the file is stat-checked as a safety net (default 1 s).
	PollInterval time.Duration
	// Seed, when set, makes every flag draw from one SplitMix64 sequence seeded with it
	// (flags' own seed fields are then ignored; section 3.2).
	Seed *uint64
	// PollingOnly disables inotify (file systems without it, or tests).
	PollingOnly bool
	// NoFollow loads the file once; ReloadNow reads it again.
	NoFollow bool
	// Clock replaces time.Now for expiry (tests).
	Clock func() time.Time
	// OnError is called (on the watcher goroutine) when the file on disk is rejected.
	OnError func(error)
	// OnChange is called with (old, new generation) after a new document takes effect.
	OnChange func(oldGeneration, newGeneration uint64)
}

// Decision is the outcome of one call: fire or not, the delay, and how to fail.
type Decision struct {
	Fires    bool
	Delay    time.Duration
	Mode     Mode
	Severity Severity
}

// Reader follows one control file. Decisions read an immutable snapshot through one
// atomic pointer: no lock, no allocation. Safe for concurrent use.
type Reader struct {
	path         string
	options      Options
	current      atomic.Pointer[Document]
	readerSeeded bool
	shared       atomic.Uint64 // the reader's sequence (Seed, or system-seeded)
	clock        func() time.Time

	mu           sync.Mutex // loading state below
	lastBytes    []byte
	lastIdentity fileIdentity
	err          error
	watch        *directoryWatch
	stop         chan struct{}
	done         chan struct{}
	stopOnce     sync.Once
}

// Open loads the file (a missing file means no faults) and, unless NoFollow, follows it
// on a goroutine. It never fails: problems are reported through Err and OnError.
func Open(path string, options Options) *Reader {
	if options.PollInterval <= 0 {
		options.PollInterval = time.Second
	}
	r := &Reader{path: path, options: options, clock: options.Clock, stop: make(chan struct{}), done: make(chan struct{})}
	if options.Seed != nil {
		r.readerSeeded = true
		r.shared.Store(*options.Seed)
	} else {
		var seed [8]byte
		_, _ = rand.Read(seed[:])
		r.shared.Store(binary.LittleEndian.Uint64(seed[:]) ^ uint64(time.Now().UnixNano()))
	}
	r.current.Store(emptyDocument)
	var watch *directoryWatch
	if !options.NoFollow && !options.PollingOnly {
		watch = newDirectoryWatch(path) // before the first read, so no change is missed
		r.watch = watch
	}
	r.ReloadNow()
	if options.NoFollow {
		close(r.done)
	} else {
		go r.follow(watch)
	}
	return r
}

// Path is the control file followed.
func (r *Reader) Path() string { return r.path }

// Generation of the document in force (0 when the file is missing).
func (r *Reader) Generation() uint64 { return r.current.Load().Generation }

// Err says why the file on disk is not in force, or nil.
func (r *Reader) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Params of flag name in force (nil when absent). The map must not be modified.
func (r *Reader) Params(name string) map[string]interface{} {
	if f := r.current.Load().flags[name]; f != nil {
		return f.params
	}
	return nil
}

// Fires reports whether this call of flag name should inject its fault.
func (r *Reader) Fires(name string) bool {
	_, fires := r.FireDelay(name)
	return fires
}

// Decide evaluates one call of flag name (docs/control-file.md sections 3.1 and 3.3).
func (r *Reader) Decide(name string) Decision {
	f := r.current.Load().flags[name]
	if f == nil {
		return Decision{}
	}
	delay, fires := r.fireDelay(f)
	if !fires {
		return Decision{}
	}
	return Decision{Fires: true, Delay: delay, Mode: f.mode, Severity: f.severity}
}

// FireDelay is the fast path: this call's delay (0 without latency) and true when flag
// name fires, (0, false) when it does not. The flag's Mode and Severity are Mode(name)
// and Severity(name).
func (r *Reader) FireDelay(name string) (time.Duration, bool) {
	f := r.current.Load().flags[name]
	if f == nil {
		return 0, false
	}
	return r.fireDelay(f)
}

// Mode is flag name's mode in force ("" when absent).
func (r *Reader) Mode(name string) Mode {
	if f := r.current.Load().flags[name]; f != nil {
		return f.mode
	}
	return ""
}

// Severity is flag name's severity in force ("" when absent).
func (r *Reader) Severity(name string) Severity {
	if f := r.current.Load().flags[name]; f != nil {
		return f.severity
	}
	return ""
}

// fireDelay is sections 3.1 and 3.3 for one flag: enabled, not expired, one draw below
// the threshold, a max_hits hit left, then the delay from that same draw.
func (r *Reader) fireDelay(f *flag) (time.Duration, bool) {
	if !f.enabled {
		return 0, false
	}
	if f.hasExpiry && r.nowMillis() >= f.expiresMillis {
		return 0, false
	}
	var draw uint64
	switch {
	case r.readerSeeded || !f.seeded:
		draw = mix(r.shared.Add(golden))
	default:
		draw = mix(f.counters.sequence.Add(golden))
	}
	if !f.always && draw >= f.threshold {
		return 0, false
	}
	if f.maxHits != 0 && !claimHit(f) {
		return 0, false
	}
	return time.Duration(delayNanos(draw, f.latency, f.jitter)), true
}

func claimHit(f *flag) bool {
	for {
		hits := f.counters.hits.Load()
		if hits >= f.maxHits {
			return false
		}
		if f.counters.hits.CompareAndSwap(hits, hits+1) {
			return true
		}
	}
}

func (r *Reader) nowMillis() int64 {
	if r.clock != nil {
		return r.clock().UnixMilli()
	}
	return time.Now().UnixMilli()
}

// ReloadNow reads the file on the calling goroutine (e.g. on SIGHUP).
func (r *Reader) ReloadNow() {
	r.mu.Lock()
	var notify func()
	data, identity, readErr := readFile(r.path)
	switch {
	case readErr != nil:
		r.lastIdentity, r.lastBytes = statIdentity(r.path), nil
		notify = r.report(readErr)
	case data == nil:
		r.lastIdentity, r.lastBytes, r.err = fileIdentity{}, nil, nil
		notify = r.publish(emptyDocument)
	default:
		r.lastIdentity = identity
		if r.lastBytes != nil && string(data) == string(r.lastBytes) {
			break
		}
		r.lastBytes = data
		if document, err := parseDocument(data); err != nil {
			err.Path = r.path
			notify = r.report(err)
		} else {
			r.err = nil
			notify = r.publish(document)
		}
	}
	r.mu.Unlock()
	if notify != nil {
		notify()
	}
}

func (r *Reader) report(err error) func() {
	r.err = err
	if handler := r.options.OnError; handler != nil {
		return func() { handler(err) }
	}
	return nil
}

// publish swaps in a new document; flags whose JSON is unchanged keep their counters.
// Caller holds mu.
func (r *Reader) publish(document *Document) func() {
	old := r.current.Load()
	for name, f := range document.flags {
		if previous := old.flags[name]; previous != nil && previous.definition == f.definition {
			f.counters = previous.counters
		}
	}
	r.current.Store(document)
	if handler := r.options.OnChange; handler != nil && old != document {
		oldGeneration, newGeneration := old.Generation, document.Generation
		return func() { handler(oldGeneration, newGeneration) }
	}
	return nil
}

// Close stops following changes; the state in force stays. Idempotent.
func (r *Reader) Close() {
	r.stopOnce.Do(func() {
		close(r.stop)
		if r.watch != nil {
			r.watch.close() // wakes a pending read
		}
	})
	<-r.done
}
