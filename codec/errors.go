package codec

import (
	"errors"
	"fmt"
)

// Decoding errors wrap the sentinels of internal/format, one per verdict of
// SPEC.md §8.2; verify.VerdictOf names them. Colour and kind names have
// their own.
var (
	errInvalidColour = errors.New("codec: invalid colour")
	errInvalidKind   = errors.New("codec: invalid kind")
)

// wrap returns sentinel wrapped with a formatted detail.
func wrap(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
