package chaoscontrol

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// fileIdentity is what stat(2) says about the file, to notice a change without reading it.
type fileIdentity struct {
	dev, ino            uint64
	size                int64
	mtimeSec, mtimeNsec int64
	ctimeSec, ctimeNsec int64
	present             bool
}

func identityOf(info *syscall.Stat_t) fileIdentity {
	return fileIdentity{uint64(info.Dev), info.Ino, info.Size, info.Mtim.Sec, info.Mtim.Nsec,
		info.Ctim.Sec, info.Ctim.Nsec, true}
}

func statIdentity(path string) fileIdentity {
	var info syscall.Stat_t
	if syscall.Stat(path, &info) != nil {
		return fileIdentity{}
	}
	return identityOf(&info)
}

// readFile returns the file's bytes, or nil bytes and nil error when it (or a directory on
// its path) does not exist. Follows symlinks afresh; refuses a file over MaxFileBytes from
// fstat, before reading, and again while reading.
func readFile(path string) ([]byte, fileIdentity, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
			return nil, fileIdentity{}, nil
		}
		return nil, fileIdentity{}, &FileError{Path: path, Reason: "cannot open (" + err.Error() + ")"}
	}
	file := os.NewFile(uintptr(fd), path)
	defer file.Close()
	var info syscall.Stat_t
	if err := syscall.Fstat(fd, &info); err != nil {
		return nil, fileIdentity{}, &FileError{Path: path, Reason: "cannot stat (" + err.Error() + ")"}
	}
	if info.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, fileIdentity{}, &FileError{Path: path, Reason: "is not a regular file"}
	}
	if info.Size > MaxFileBytes {
		return nil, fileIdentity{}, &FileError{Path: path,
			Reason: fmt.Sprintf("the control file is %d bytes; the limit is %d bytes (1 MiB)", info.Size, MaxFileBytes)}
	}
	data, err := io.ReadAll(io.LimitReader(file, MaxFileBytes+1))
	if err != nil {
		return nil, fileIdentity{}, &FileError{Path: path, Reason: "cannot read (" + err.Error() + ")"}
	}
	if len(data) > MaxFileBytes {
		return nil, fileIdentity{}, &FileError{Path: path, Reason: fmt.Sprintf("the control file grew past %d bytes while being read", MaxFileBytes)}
	}
	if data == nil {
		data = []byte{}
	}
	return data, identityOf(&info), nil
}
