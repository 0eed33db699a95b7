package scan

import (
	"errors"
	"fmt"

	"github.com/offcode/offcode/codec"
)

// Errors that callers may test for with errors.Is.
var (
	// ErrNotFound means no QR symbol could be read from the image.
	ErrNotFound = errors.New("scan: no QR code found")
	// ErrNotOffcode means a QR symbol was read but its text is not an
	// offline code: it does not start with codec.Prefix. The error is a
	// *NotOffcodeError.
	ErrNotOffcode = errors.New("scan: QR code is not an offline code")
	// ErrPlane is returned for a luminance plane whose dimensions do not
	// match its pixels.
	ErrPlane = errors.New("scan: invalid luminance plane")
)

// NotOffcodeError reports a QR symbol whose text is not an offline code.
type NotOffcodeError struct {
	Text string // the text read, cut to 64 bytes
}

func (e *NotOffcodeError) Error() string {
	return fmt.Sprintf("scan: QR code is not an offline code: text %q does not start with %q", e.Text, codec.Prefix)
}

// Unwrap returns ErrNotOffcode.
func (e *NotOffcodeError) Unwrap() error { return ErrNotOffcode }
