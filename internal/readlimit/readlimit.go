// Package readlimit reads whole files and streams only up to a stated size,
// so that a device never reads an unbounded input into memory.
package readlimit

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is wrapped by the error of a file or stream over its limit.
var ErrTooLarge = errors.New("input is larger than allowed")

// TooLargeError reports an input over its limit. Size is the file's size,
// or -1 for a stream whose size was not known in advance.
type TooLargeError struct {
	Name      string
	Size, Max int64
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s: more than %d bytes, the most allowed", e.Name, e.Max)
	}
	return fmt.Sprintf("%s: %d bytes, more than the %d allowed", e.Name, e.Size, e.Max)
}

// Unwrap returns ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// File reads the file at path if it holds at most max bytes. It checks the
// size before reading, and reads at most max+1 bytes whatever the size the
// file claims (it may grow, or be a device or a pipe).
func File(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	if fi.Mode().IsRegular() && fi.Size() > max {
		return nil, &TooLargeError{Name: path, Size: fi.Size(), Max: max}
	}
	return Reader(f, path, max)
}

// Reader reads r to its end if it holds at most max bytes.
func Reader(r io.Reader, name string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &TooLargeError{Name: name, Size: -1, Max: max}
	}
	return b, nil
}
