package chaoscontrol

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
	"unsafe"
)

const watchMask = syscall.IN_ATTRIB | syscall.IN_CLOSE_WRITE | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO |
	syscall.IN_CREATE | syscall.IN_DELETE | syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF

// directoryWatch is an inotify watch on the control file's directory (section 4.1). The
// descriptor is non-blocking, so os.NewFile puts it on Go's poller and reads take deadlines.
type directoryWatch struct {
	file      *os.File
	fd        int
	directory string
	name      string
	wd        int
}

func newDirectoryWatch(path string) *directoryWatch {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil // polling alone
	}
	absolute, _ := filepath.Abs(path)
	w := &directoryWatch{file: os.NewFile(uintptr(fd), "inotify"), fd: fd, directory: filepath.Dir(absolute),
		name: filepath.Base(absolute), wd: -1}
	w.ensureWatching()
	return w
}

// ensureWatching adds the watch if it is missing (directory created or re-created).
func (w *directoryWatch) ensureWatching() bool {
	if w.wd >= 0 {
		return false
	}
	wd, err := syscall.InotifyAddWatch(w.fd, w.directory, watchMask)
	if err != nil {
		return false
	}
	w.wd = wd
	return true
}

// wait blocks until events arrive or the deadline passes; true if any event could concern
// the control file (not a writer's temp file or the lock file).
func (w *directoryWatch) wait(deadline time.Time) (relevant bool, closed bool) {
	_ = w.file.SetReadDeadline(deadline)
	var buffer [16 * 1024]byte
	count, err := w.file.Read(buffer[:])
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return false, false
		}
		return true, true
	}
	temp, lock := []byte("."+w.name+".tmp."), []byte("."+w.name+".lock")
	for offset := 0; offset+syscall.SizeofInotifyEvent <= count; {
		event := (*syscall.InotifyEvent)(unsafe.Pointer(&buffer[offset]))
		nameBytes := buffer[offset+syscall.SizeofInotifyEvent : offset+syscall.SizeofInotifyEvent+int(event.Len)]
		name := bytes.TrimRight(nameBytes, "\x00")
		offset += syscall.SizeofInotifyEvent + int(event.Len)
		if event.Mask&(syscall.IN_IGNORED|syscall.IN_DELETE_SELF|syscall.IN_MOVE_SELF) != 0 {
			w.wd = -1 // the directory went away: re-added on a later poll
			relevant = true
		} else if !bytes.HasPrefix(name, temp) && !bytes.Equal(name, lock) {
			relevant = true
		}
	}
	return relevant, false
}

func (w *directoryWatch) close() { _ = w.file.Close() }

// follow waits on inotify (or sleeps) until the next poll tick; reloads on relevant events,
// on a stat change, and every 10th tick regardless (equal-size in-place rewrites).
func (r *Reader) follow(w *directoryWatch) {
	defer close(r.done)
	if w != nil {
		defer w.close()
	}
	nextPoll := time.Now().Add(r.options.PollInterval)
	ticks := 0
	for {
		changed := false
		if w != nil && w.wd >= 0 {
			// Closing the stop channel cannot interrupt a read; Close wakes us by closing the file.
			relevant, closed := w.wait(nextPoll)
			if closed {
				select {
				case <-r.stop:
					return
				default:
				}
			}
			changed = relevant
		} else {
			timer := time.NewTimer(time.Until(nextPoll))
			select {
			case <-r.stop:
				timer.Stop()
				return
			case <-timer.C:
			}
		}
		select {
		case <-r.stop:
			return
		default:
		}
		if !time.Now().Before(nextPoll) {
			nextPoll = time.Now().Add(r.options.PollInterval)
			ticks++
			if w != nil && w.ensureWatching() {
				changed = true
			}
			r.mu.Lock()
			last := r.lastIdentity
			r.mu.Unlock()
			if statIdentity(r.path) != last || ticks%10 == 0 {
				changed = true
			}
		}
		if changed {
			r.ReloadNow()
		}
	}
}
