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
	// ErrUnreadable means a QR symbol was located but could not be read:
	// too blurred, damaged or cut off. Such an error also matches
	// ErrNotFound.
	ErrUnreadable = errors.New("scan: a QR symbol was found but could not be read")
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

// notReadError is the error of a picture from which no QR symbol was read.
type notReadError struct {
	w, h    int
	located bool // a symbol was located but not read
	smeared bool // the picture is smeared one way, in heavy noise (unshake)
}

func (e *notReadError) Error() string {
	switch {
	case e.located:
		return fmt.Sprintf("scan: a QR symbol was found in the %d×%d image but could not be read", e.w, e.h)
	case e.smeared:
		return fmt.Sprintf("scan: no QR code could be read from the %d×%d image: it is smeared one way, as by camera shake, and noisy", e.w, e.h)
	}
	return fmt.Sprintf("scan: no QR code found in the %d×%d image", e.w, e.h)
}

// Is reports whether target is ErrNotFound, or ErrUnreadable for a symbol
// that was located.
func (e *notReadError) Is(target error) bool {
	return target == ErrNotFound || (e.located && target == ErrUnreadable)
}
