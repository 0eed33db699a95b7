package render

import (
	"errors"
	"fmt"
)

// Errors that callers may test for with errors.Is.
var (
	// ErrNotAlphanumeric is returned for QR text outside the QR
	// alphanumeric set (0-9 A-Z space $ % * + - . / :).
	ErrNotAlphanumeric = errors.New("render: text is not in the QR alphanumeric set")
	// ErrTooLong is returned for QR text that fits no QR version.
	ErrTooLong = errors.New("render: text too long for a QR code")
	// ErrGlyphMissing is wrapped by *GlyphError.
	ErrGlyphMissing = errors.New("render: character not in the sheet font")
	// ErrHolderTooLong is returned for a holder line wider than the sheet.
	ErrHolderTooLong = errors.New("render: holder line too long")
	// ErrClosed is returned by a Batch used after Close.
	ErrClosed = errors.New("render: batch is closed")
)

// GlyphError reports a character of caller-supplied text (a holder line)
// that the embedded font cannot print.
type GlyphError struct {
	Rune rune   // the first missing character
	Text string // the text it occurs in
}

func (e *GlyphError) Error() string {
	return fmt.Sprintf("render: character %q (U+%04X) in %q is not in the sheet font (GB 2312 + ASCII)", e.Rune, e.Rune, e.Text)
}

// Unwrap returns ErrGlyphMissing.
func (e *GlyphError) Unwrap() error { return ErrGlyphMissing }
